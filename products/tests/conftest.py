"""The products' tests share the session's demo hub (hubcms/testing/demo.py).

`test_demo_hub.py` reads the demo hub (the `demo_hub` fixture), and the hub round trip
(`test_hub_round_trip.py`) imports its export into a fresh hub (`demo_hub_export`). Both modules
and the relevance set (search/tests/test_relevance.py) are in one xdist group, so that one worker
loads the demo hub, once per session, while the other runs the rest of the suite.
"""

from hubcms.testing.demo import DEMO_HUB_GROUP, model_counts

__all__ = ["DEMO_HUB_GROUP", "model_counts"]
