"""The public APIs: the product-library API (/api/productbibliotheek/v1/, django-ninja, NL GOV API
Design Rules) in api.py, endpoints.py and http.py, and Wagtail's content API (/api/v2/) in
content_api.py with the serializer fields of the page types' `api_fields` in content_fields.py."""
