"""Static files storage for production."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage that also rewrites ES module imports
    (`import ... from "./govuk-frontend.min.js"`) to the hashed names, so a module is never
    fetched by a fixed name that bypasses the manifest and its for-ever caching."""

    support_js_module_import_aggregation = True
