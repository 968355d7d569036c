"""Template tags of the product library's search page."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

CHECKBOX = (
    '<div class="utrecht-form-field utrecht-form-field--checkbox">'
    '<input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="{}" '
    'name="{}" value="{}"{}>'
    '<label class="utrecht-form-label utrecht-form-label--checkbox" for="{}">{} '
    '<span class="hubsearch-count">({}<span class="hubcms-visually-hidden"> {}</span>)'
    "</span></label></div>\n"
)


@register.simple_tag
def facet_fieldsets(groups: list) -> SafeString:
    """A fieldset of checkboxes per facet with values, each with its count.

    Rendered here rather than in the template: a search page shows about a hundred facet
    values, and the template language spent a fifth of the page's time on them.
    """
    return format_html_join(
        "\n",
        '<fieldset class="utrecht-form-fieldset hubsearch-facet">'
        '<legend class="utrecht-form-fieldset__legend utrecht-heading-3">{}</legend>\n{}'
        "</fieldset>",
        ((group.legend, _checkboxes(group)) for group in groups if group.values),
    )


def _checkboxes(group) -> SafeString:
    rows = []
    for number, value in enumerate(group.values, start=1):
        html_id = f"f-{group.parameter}-{number}"
        rows.append(
            format_html(
                CHECKBOX,
                html_id,
                group.parameter,
                value.value,
                SafeString(" checked") if value.selected else "",
                html_id,
                value.label,
                str(value.count),
                "product" if value.count == 1 else "producten",
            )
        )
    return SafeString("".join(rows))


CARD = (
    '<li class="hubsearch-card">\n'
    '  <h3 class="utrecht-heading-3 hubsearch-card__title">'
    '<a class="utrecht-link" href="{}">{}</a></h3>\n'
    '  <p class="utrecht-paragraph hubsearch-card__meta">{} · {}</p>\n'
    "  {}"
    '<dl class="hubsearch-card__details">{}</dl>\n'
    "</li>\n"
)
SUMMARY = '<p class="utrecht-paragraph hubsearch-card__summary">{}</p>\n  '
SNIPPET = '<p class="utrecht-paragraph hubsearch-card__snippet">… {} …</p>\n  '
DETAIL = "<dt>{}</dt><dd>{}</dd>"


@register.simple_tag
def result_cards(cards: list) -> SafeString:
    """A list item per result card (`website.cards.ProductCard`): title, type, stage, summary,
    development lines, target groups and themes.

    Rendered here rather than with an include per card, which cost the template language about
    a millisecond and a half per page of results.
    """
    return SafeString("".join(_card(card) for card in cards))


def _card(card) -> SafeString:
    details = [
        (label, ", ".join(values))
        for label, values in (
            ("Ontwikkellijn", [line.title for line in card.development_lines]),
            ("Doelgroep", [group.name for group in card.target_groups]),
            (SafeString("Thema's"), card.themes),
        )
        if values
    ]
    return format_html(
        CARD,
        card.url or "",
        card.title,
        card.get_product_type_display(),
        card.get_lifecycle_status_display(),
        _summary(card),
        format_html_join("", DETAIL, details),
    )


def _summary(card) -> str:
    """The summary, with the search's words marked when the engine highlighted them."""
    field, fragment = getattr(card, "snippet", None) or ("", "")
    if field == "summary":  # safe HTML: escaped text with <mark> (search.opensearch.engine)
        return format_html(SUMMARY, SafeString(fragment))
    summary = format_html(SUMMARY, card.summary_excerpt) if card.summary else ""
    if field == "body":
        summary += format_html(SNIPPET, SafeString(fragment))
    return summary
