"""The hubcms content model: one module per concept."""

from content.models.agenda import AgendaPriority, InnovationAgendaPage
from content.models.home import HomePage
from content.models.information import InformationPage
from content.models.library import ProductLibraryPage
from content.models.lines import DevelopmentLineIndexPage, DevelopmentLinePage, Milestone
from content.models.products import (
    ProductDownload,
    ProductImage,
    ProductPage,
    RelatedProduct,
)
from content.models.taxonomy import ProductPageTag, Region, TargetGroup

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
