"""Package discovery that pyproject.toml alone cannot express.

The top-level ``resources/`` folder (schemas, tag sets, icons) is installed as
the package ``annotator.resources``; ``[tool.setuptools.packages.find]`` cannot
rename a folder, and an explicit package list in pyproject.toml would silently
drop every sub-package a colleague adds. Everything else lives in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["annotator", "annotator.*"]), "annotator.resources"],
    package_dir={"annotator": "annotator", "annotator.resources": "resources"},
    package_data={"annotator.resources": ["**/*"]},
    exclude_package_data={"annotator.resources": ["**/__pycache__/*", "**/*.pyc"]},
)
