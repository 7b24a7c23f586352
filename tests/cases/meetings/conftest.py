from tests.cases.uploads import upload_root  # noqa: F401  (autouse fixture)
