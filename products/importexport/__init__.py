"""Import and export of products in the hub's exchange format (JSON or CSV).

`import_products(path, dry_run=False, user=None)` creates or updates product drafts from a file;
`export_products(...)` writes the products in the same format (format version 1). The whole hub
moves with `hubexport.export_hub` and `hubimport.import_hub` (format version 2, a ZIP file). Both
formats are described in `products.importexport.format` and docs/import-format.md.
"""

from products.importexport.exporting import ExportReport, export_products
from products.importexport.importing import import_products
from products.importexport.report import (
    ImportProblem,
    ImportReport,
    ProductImportError,
    RecordOutcome,
)

__all__ = [
    "ExportReport",
    "export_products",
    "ImportProblem",
    "ImportReport",
    "ProductImportError",
    "RecordOutcome",
    "import_products",
]
