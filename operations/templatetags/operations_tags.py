"""Template tags that bring the hub's operations into the public product page."""

from django import template

from operations import selectors

register = template.Library()


@register.simple_tag
def product_operations(product) -> selectors.ProductOperations:
    """Pilots, specialists and quality level of a product, in a fixed number of queries."""
    return selectors.product_operations(product)


@register.simple_tag
def quality_level(product) -> str | None:
    """The public quality level of a product, or None."""
    return selectors.quality_level(product)
