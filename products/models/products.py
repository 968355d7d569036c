"""Products (scans, formats, werkvormen, ...) and the product library that holds them."""

from django import forms
from django.conf import settings
from django.db import models

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from products.blocks import ApproachStepBlock
from products.choices import DownloadKind, LifecycleStatus, ProductType
from products.validators import validate_version
from quality.pages import GovernedPage
from quality.panels import QualityPanel

SECTION_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class ProductPage(GovernedPage):
    """A product of the hub, described as a werkblad in the style of the intervention databanks."""

    product_type = models.CharField(
        "producttype",
        max_length=20,
        choices=ProductType.choices,
        help_text="Wat voor product is dit? Een scan brengt iets in kaart, een werkvorm is een "
        "activiteit voor een groep, een handreiking geeft advies.",
    )
    summary = models.TextField(
        "samenvatting",
        blank=True,
        help_text="Hoogstens 300 tekens, in taalniveau B1: wat is het, voor wie, en wat levert het "
        "op? Deze tekst verschijnt in de zoekresultaten.",
    )
    aanleiding = RichTextField(
        "aanleiding",
        blank=True,
        features=SECTION_FEATURES,
        help_text="Welk probleem of welke vraag uit gemeenten of SOB's was de aanleiding?",
    )
    doel = RichTextField(
        "doel",
        blank=True,
        features=SECTION_FEATURES,
        help_text="Wat is er na gebruik anders? Schrijf het doel zo concreet en toetsbaar mogelijk.",
    )
    doelgroep = RichTextField(
        "doelgroep",
        blank=True,
        features=SECTION_FEATURES,
        help_text="Voor wie is het product bedoeld, en wie doet er mee? Noem ook wie níet.",
    )
    aanpak = StreamField(
        [("step", ApproachStepBlock())],
        verbose_name="aanpak",
        blank=True,
        use_json_field=True,
        help_text="De stappen in de volgorde waarin je ze uitvoert; ten minste twee.",
    )
    randvoorwaarden = RichTextField(
        "randvoorwaarden",
        blank=True,
        features=SECTION_FEATURES,
        help_text="Wat is nodig: tijd, kosten, deskundigheid, materialen en draagvlak.",
    )
    uitvoering = RichTextField(
        "uitvoering",
        blank=True,
        features=SECTION_FEATURES,
        help_text="Wie voert het uit (bijvoorbeeld een gecertificeerde maatwerkspecialist) en "
        "hoe lang duurt het?",
    )
    onderbouwing = RichTextField(
        "onderbouwing",
        blank=True,
        features=SECTION_FEATURES,
        help_text="Waarom werkt dit? Verwijs naar onderzoek, wetgeving of praktijkervaring.",
    )
    resultaten = RichTextField(
        "resultaten en evaluatie",
        blank=True,
        features=SECTION_FEATURES,
        help_text="Wat weten we over de resultaten? Noem pilots, evaluaties en cijfers.",
    )
    overdraagbaarheid = RichTextField(
        "overdraagbaarheid",
        blank=True,
        features=SECTION_FEATURES,
        help_text="Hoe kan een andere regio of SOB dit overnemen: handleiding, formats, "
        "train-de-trainer-materiaal.",
    )
    lifecycle_status = models.CharField(
        "levensfase",
        max_length=20,
        choices=LifecycleStatus.choices,
        default=LifecycleStatus.IDEE,
        db_index=True,
    )
    version = models.CharField(
        "versie",
        max_length=20,
        default="0.1",
        validators=[validate_version],
        help_text="Hoofdversie.subversie. Verhoog de hoofdversie bij een inhoudelijke wijziging "
        "en schrijf dan een wijzigingsnotitie.",
    )
    change_note = models.TextField(
        "wijzigingsnotitie",
        blank=True,
        help_text="Wat is er veranderd ten opzichte van de vorige versie, en waarom?",
    )
    product_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="eigenaar",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_products",
        help_text="Wie is inhoudelijk verantwoordelijk en beantwoordt vragen over dit product?",
    )
    target_groups = ParentalManyToManyField(
        "content.TargetGroup",
        verbose_name="doelgroepen",
        blank=True,
        related_name="products",
    )
    themes = ClusterTaggableManager(
        verbose_name="thema's",
        through="content.ProductPageTag",
        blank=True,
        help_text="Trefwoorden waarop bezoekers filteren, bijvoorbeeld 'beschut werk'.",
    )
    development_lines = ParentalManyToManyField(
        "content.DevelopmentLinePage",
        verbose_name="ontwikkellijnen",
        blank=True,
        related_name="products",
    )
    regions = ParentalManyToManyField(
        "content.Region",
        verbose_name="regio's die het toepassen",
        blank=True,
        related_name="products",
        help_text="De arbeidsmarktregio's waar het product in gebruik is.",
    )
    next_review_date = models.DateField(
        "volgende herziening",
        null=True,
        blank=True,
        help_text="Wanneer wordt de inhoud opnieuw bekeken? Uiterlijk 24 maanden vooruit.",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("product_type"), FieldPanel("lifecycle_status")]),
        FieldPanel("summary"),
        InlinePanel("images", label="Afbeeldingen", heading="Afbeeldingen"),
    ]
    werkblad_panels = [
        FieldPanel("aanleiding"),
        FieldPanel("doel"),
        FieldPanel("doelgroep"),
        FieldPanel("aanpak"),
        FieldPanel("randvoorwaarden"),
        FieldPanel("uitvoering"),
        FieldPanel("onderbouwing"),
        FieldPanel("resultaten"),
        FieldPanel("overdraagbaarheid"),
    ]
    classification_panels = [
        FieldPanel("development_lines", widget=forms.CheckboxSelectMultiple),
        FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
        FieldPanel("themes"),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
        InlinePanel(
            "related_products", label="Gerelateerd product", heading="Gerelateerde producten"
        ),
    ]
    material_panels = [
        InlinePanel("downloads", label="Download", heading="Downloads"),
    ]
    management_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("version"), FieldPanel("next_review_date")]),
                FieldPanel("change_note"),
                FieldPanel("product_owner"),
            ],
            heading="Versie en beheer",
        ),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList([QualityPanel(), *content_panels], heading="Inhoud"),
            ObjectList(werkblad_panels, heading="Werkblad"),
            ObjectList(classification_panels, heading="Indeling"),
            ObjectList(material_panels, heading="Materiaal"),
            ObjectList(management_panels, heading="Beheer"),
            ObjectList(Page.promote_panels, heading="Promotie"),
            ObjectList(Page.settings_panels, heading="Instellingen"),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=3),
        index.SearchField("aanleiding"),
        index.SearchField("doel"),
        index.SearchField("doelgroep"),
        index.SearchField("aanpak"),
        index.SearchField("randvoorwaarden"),
        index.SearchField("uitvoering"),
        index.SearchField("onderbouwing"),
        index.SearchField("resultaten"),
        index.SearchField("overdraagbaarheid"),
        index.AutocompleteField("title"),
        index.FilterField("product_type"),
        index.FilterField("lifecycle_status"),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]

    # Served by /api/v2/; the api app gives the computed and coded ones their serializers
    # (api/content_fields.py: serializers_by_model), so that the models never import the API layer.
    api_fields = [
        APIField("product_type"),
        APIField("lifecycle_status"),
        APIField("summary"),
        APIField("werkblad"),
        APIField("aanleiding"),
        APIField("doel"),
        APIField("doelgroep"),
        APIField("aanpak"),
        APIField("randvoorwaarden"),
        APIField("uitvoering"),
        APIField("onderbouwing"),
        APIField("resultaten"),
        APIField("overdraagbaarheid"),
        APIField("version"),
        APIField("change_note"),
        APIField("next_review_date"),
        APIField("themes"),
        APIField("target_groups"),
        APIField("development_lines"),
        APIField("regions"),
        APIField("downloads"),
        APIField("images"),
        APIField("related_products"),
        APIField("quality_label"),
        APIField("evidence_level"),
        APIField("pilots"),
    ]

    parent_page_types = ["content.ProductLibraryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "product"
        verbose_name_plural = "producten"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from products.selectors import product_page_context

        context.update(product_page_context(self, request=request))
        return context

    @property
    def major_version(self) -> int:
        """The major part of the version, 0 when the version cannot be read."""
        try:
            return int(str(self.version).split(".")[0])
        except (TypeError, ValueError):
            return 0


class ProductDownload(Orderable):
    """A file that comes with a product: its manual, formats, worksheets or slides."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="downloads")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="document",
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        "soort", max_length=20, choices=DownloadKind.choices, default=DownloadKind.HANDLEIDING
    )
    title = models.CharField(
        "titel",
        max_length=200,
        blank=True,
        help_text="Laat leeg om de titel van het document te gebruiken.",
    )

    panels = [FieldPanel("document"), FieldPanel("kind"), FieldPanel("title")]
    # Serializers: api/content_fields.py (serializers_by_model).
    api_fields = [
        APIField("display_title"),
        APIField("kind"),
        APIField("file"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "download"
        verbose_name_plural = "downloads"

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class ProductImage(Orderable):
    """An image on a product with its alternative text, or an explicit mark that it is decorative."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="afbeelding",
        on_delete=models.PROTECT,
        related_name="+",
    )
    alt_text = models.CharField(
        "alternatieve tekst",
        max_length=255,
        blank=True,
        help_text="Beschrijf wat de afbeelding laat zien voor wie haar niet kan zien; hoogstens "
        "125 tekens. Laat alleen leeg als de afbeelding decoratief is.",
    )
    decorative = models.BooleanField(
        "decoratief",
        default=False,
        help_text="Vink aan als de afbeelding niets toevoegt aan de tekst; zij krijgt dan een lege "
        "alternatieve tekst.",
    )
    caption = models.CharField("bijschrift", max_length=255, blank=True)

    panels = [
        FieldPanel("image"),
        FieldPanel("alt_text"),
        FieldPanel("decorative"),
        FieldPanel("caption"),
    ]
    # Serializers: api/content_fields.py (serializers_by_model).
    api_fields = [
        APIField("image"),
        APIField("alt_text"),
        APIField("decorative"),
        APIField("caption"),
        APIField("renditions"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "afbeelding"
        verbose_name_plural = "afbeeldingen"


class RelatedProduct(Orderable):
    """A link from one product to another that a visitor may also need."""

    page = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="related_products")
    related = models.ForeignKey(
        "content.ProductPage",
        verbose_name="product",
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("related")]

    class Meta(Orderable.Meta):
        verbose_name = "gerelateerd product"
        verbose_name_plural = "gerelateerde producten"
