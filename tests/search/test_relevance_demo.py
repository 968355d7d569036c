"""Relevance over the demo hub: Dutch queries a policy adviser would type, and what should come first.

Reports the mean reciprocal rank (MRR) of the expected product; thresholds were set from what was
measured on SQLite and PostgreSQL (see the report in the search section of the README).
"""

import pytest

from hubcms.bootstrap import bootstrap_hub
from search.services import ProductQuery, search_products

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# (query, the title that should rank first)
CASES = [
    ("arbeidsmarktfunctionaliteiten", "Scan arbeidsmarktfunctionaliteiten"),
    ("werkgeversdienstverlening regio", "Scan werkgeversdienstverlening in de regio"),
    ("diagnosegesprek", "Format diagnosegesprek arbeidsvermogen"),
    ("arbeidsvermogen", "Format diagnosegesprek arbeidsvermogen"),
    ("detachering", "Format detacheringsovereenkomst individuele detachering"),
    ("werkgeverstafel", "Werkvorm werkgeverstafel"),
    ("praktijkdag beschut werk", "Werkvorm praktijkdag beschut werk"),
    ("ontwikkelplan", "Instrument persoonlijk ontwikkelplan beschut werk"),
    ("jobcarving", "Instrument jobcarving-analyse"),
    ("praktijkverklaring", "Ontwikkelmodule praktijkleren met praktijkverklaring"),
    ("jobcoach", "Training jobcoaching bij reguliere werkgevers"),
    ("werkleider", "Training werkleider als leermeester"),
    ("warme overdracht", "Format warme overdracht gemeente-SOB"),
    ("gemeenschappelijke regeling", "Scan governance gemeenschappelijke regeling"),
    ("dienstverleningsovereenkomst", "Format dienstverleningsovereenkomst gemeente-SOB"),
    ("regiotafel", "Werkvorm regiotafel sociale infrastructuur"),
    ("opdrachtgeverschap", "Training goed opdrachtgeverschap"),
    ("regionaal werkbedrijf", "Handreiking samenwerkingsafspraken regionaal werkbedrijf"),
    ("stuurinformatie", "Instrument stuurinformatie voor opdrachtgevers"),
    ("rekenmodel loonkostensubsidie", "Instrument rekenmodel loonkostensubsidie en begeleiding"),
    ("businesscase beschut werk", "Instrument businesscase beschut werk"),
    ("tarieven", "Format tarievenkaart SOB-dienstverlening"),
    ("kostprijs", "Format kostprijsberekening begeleiding"),
    ("financiële gezondheid", "Scan financiële gezondheid SOB"),
    ("rijksbijdrage wsw", "Handreiking afbouw Wsw-rijksbijdrage"),
    ("toekomstscenario's", "Handreiking vier toekomstscenario's voor het SOB"),
    ("scenariowerkplaats", "Werkvorm scenariowerkplaats"),
    ("heroriëntatie", "Ontwikkelmodule strategische heroriëntatie SOB"),
    ("leermeester", "Training werkleider als leermeester"),
    ("sociaal ontwikkelbedrijf financiën", "Scan financiële gezondheid SOB"),
]
# Demo products that stay drafts (every `idee`, and one still being written): never found.
DRAFTS = [
    ("begrotingsspel", "Werkvorm begrotingsspel sociale infrastructuur"),
    ("datavolwassenheid", "Scan datavolwassenheid SOB"),
    ("impactanalyse", "Instrument impactanalyse scenario's voor de regio"),
    ("scenariodenken", "Training scenariodenken voor bestuurders"),
]
MIN_MRR = 0.95  # measured 0.983 on SQLite, 0.978 on PostgreSQL
MIN_TOP3 = 0.95  # measured 100% on both


def test_demo_hub_relevance(capsys):
    bootstrap_hub(demo=True)
    reciprocal_ranks = []
    misses = []
    for query, expected in CASES:
        result = search_products(ProductQuery(query=query, page_size=10))
        found = [p.title for p in result.products]
        rank = found.index(expected) + 1 if expected in found else None
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        if rank != 1:
            misses.append(f"{query!r}: {expected!r} at {rank}, first {found[:3]}")
    mrr = sum(reciprocal_ranks) / len(CASES)
    top3 = sum(1 for r in reciprocal_ranks if r >= 1 / 3) / len(CASES)
    with capsys.disabled():
        print(
            f"\nRelevance over the demo hub: MRR {mrr:.3f}, top-3 {top3:.0%} ({len(CASES)} queries)"
        )
        for miss in misses:
            print("  ", miss)
    for word, draft in DRAFTS:
        # PostgreSQL may offer similar live titles for a word nobody uses (typo tolerance).
        assert draft not in [p.title for p in search_products(ProductQuery(query=word)).products]
    # "Zorg voor nazorg" is only in the unpublished next version of this live product.
    nazorg = [p.title for p in search_products(ProductQuery(query="nazorg", page_size=50)).products]
    assert "Handreiking begeleiding naar regulier werk" not in nazorg
    assert len(CASES) >= 25
    assert mrr >= MIN_MRR, misses
    assert top3 >= MIN_TOP3, misses
