"""The page tree stays sane: which page type may live where."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from products.models import (
    DevelopmentLineIndexPage,
    DevelopmentLinePage,
    HomePage,
    InformationPage,
    InnovationAgendaPage,
    ProductLibraryPage,
    ProductPage,
)


class PageTreeRulesTest(WagtailPageTestCase):
    def test_home_holds_the_sections(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                ProductLibraryPage,
                DevelopmentLineIndexPage,
                InnovationAgendaPage,
                InformationPage,
            },
        )
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_products_live_only_in_the_library(self):
        self.assertAllowedParentPageTypes(ProductPage, {ProductLibraryPage})
        self.assertAllowedSubpageTypes(ProductLibraryPage, {ProductPage})
        self.assertAllowedSubpageTypes(ProductPage, set())

    def test_lines_live_only_in_the_line_overview(self):
        self.assertAllowedParentPageTypes(DevelopmentLinePage, {DevelopmentLineIndexPage})
        self.assertAllowedSubpageTypes(DevelopmentLinePage, set())

    def test_agenda_lives_under_home(self):
        self.assertAllowedParentPageTypes(InnovationAgendaPage, {HomePage})
        self.assertCanNotCreateAt(ProductLibraryPage, InnovationAgendaPage)
