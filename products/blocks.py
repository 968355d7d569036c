"""StreamField blocks for hubcms content."""

from wagtail import blocks


class ApproachStepBlock(blocks.StructBlock):
    """One step of a product's approach (aanpak)."""

    title = blocks.CharBlock(
        label="Stap",
        max_length=200,
        help_text="Een korte, actieve titel, bijvoorbeeld 'Breng de uitgangssituatie in kaart'.",
    )
    description = blocks.RichTextBlock(
        label="Wat gebeurt er",
        features=["bold", "italic", "ol", "ul", "link", "document-link"],
        help_text="Wie doet wat, met welk materiaal, en wat is het resultaat van deze stap.",
    )
    duration = blocks.CharBlock(
        label="Duur",
        required=False,
        max_length=100,
        help_text="Bijvoorbeeld 'twee bijeenkomsten van een dagdeel'.",
    )

    class Meta:
        icon = "list-ol"
        label = "Stap"
