"""The hubcms content model: one module per concept."""

from products.models.agenda import AgendaPriority, InnovationAgendaPage
from products.models.home import HomePage
from products.models.information import InformationPage
from products.models.library import ProductLibraryPage
from products.models.lines import DevelopmentLineIndexPage, DevelopmentLinePage, Milestone
from products.models.products import (
    ProductDownload,
    ProductImage,
    ProductPage,
    RelatedProduct,
)
from products.models.taxonomy import ProductPageTag, Region, TargetGroup

__all__ = [
    "AgendaPriority",
    "DevelopmentLineIndexPage",
    "DevelopmentLinePage",
    "HomePage",
    "InformationPage",
    "InnovationAgendaPage",
    "Milestone",
    "ProductDownload",
    "ProductImage",
    "ProductLibraryPage",
    "ProductPage",
    "ProductPageTag",
    "Region",
    "RelatedProduct",
    "TargetGroup",
]
