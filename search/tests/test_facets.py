"""The facet registry (search/facets.py) is what the website, the API and the index all follow."""

from html.parser import HTMLParser

from hubcms.testing.factories import DevelopmentLinePageFactory
from hubcms.testing.publishing import publish
from products.models import Region, TargetGroup
from search.facets import FACETS

API = "/api/productbibliotheek/v1"


class Checkboxes(HTMLParser):
    """The facet fieldsets of the library page: legend -> checkbox names."""

    def __init__(self):
        super().__init__()
        self.legend: str | None = None
        self.in_legend = False
        self.names: dict[str, set[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "legend":
            self.in_legend = True
        elif tag == "input" and attrs.get("type") == "checkbox" and self.legend:
            self.names.setdefault(self.legend, set()).add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "legend":
            self.in_legend = False

    def handle_data(self, data):
        if self.in_legend:
            self.legend = data.strip()


def test_every_facet_filters_the_website_and_the_api_by_its_own_parameter(
    client, library, make_product
):
    from products.models import DevelopmentLineIndexPage

    line = publish(
        DevelopmentLinePageFactory(parent=DevelopmentLineIndexPage.objects.get(), title="Regie")
    )
    group = TargetGroup.objects.create(name="Jobcoaches", slug="jobcoaches")
    region = Region.objects.order_by("code").first()
    wanted = make_product(
        title="Gezocht product",
        product_type="scan",
        lifecycle_status="pilot",
        themes=("zorg",),
        development_lines=[line],
        target_groups=(group,),
    )
    wanted.regions.add(region)
    wanted = publish(wanted)
    # The other product has a line and a target group of its own.
    make_product(
        title="Ander product",
        product_type="training",
        lifecycle_status="idee",
        development_lines=[
            publish(DevelopmentLinePageFactory(parent=line.get_parent(), title="Vakmanschap"))
        ],
        target_groups=(TargetGroup.objects.create(name="Werkgevers", slug="werkgevers-x"),),
    )
    public_value = {
        "product_type": "scan",
        "development_line": line.slug,
        "target_group": group.slug,
        "lifecycle_status": "pilot",
        "region": region.code,
        "theme": "zorg",
    }

    page = client.get(library.url)
    checkboxes = Checkboxes()
    checkboxes.feed(page.content.decode())
    api_facets = {f["parameter"]: f for f in client.get(f"{API}/producten").json()["facets"]}
    assert list(api_facets) == [facet.api_parameter for facet in FACETS]
    found = {}
    for facet in FACETS:
        assert checkboxes.names[facet.label] == {facet.parameter}
        assert api_facets[facet.api_parameter]["label"] == facet.label
        value = public_value[facet.name]
        assert value in {v["value"] for v in api_facets[facet.api_parameter]["values"]}

        on_website = client.get(library.url, {facet.parameter: value}).content.decode()
        found[facet.name] = (
            [title for title in ("Gezocht product", "Ander product") if title in on_website],
            [
                item["title"]
                for item in client.get(f"{API}/producten", {facet.api_parameter: value}).json()[
                    "items"
                ]
            ],
        )
    assert found == {facet.name: (["Gezocht product"], ["Gezocht product"]) for facet in FACETS}
