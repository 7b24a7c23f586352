from cases import dossier_admin  # noqa: F401  (registers the read-only dossier admin)
