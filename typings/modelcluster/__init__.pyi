# Type stubs for the parts of django-modelcluster (Wagtail's, untyped) that hubcms's typed
# packages build on: a ClusterableModel is a Django model, a ParentalKey a foreign key.
