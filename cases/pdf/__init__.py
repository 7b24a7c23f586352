"""The dossier as a PDF: for the inspectorate, for the parents' inzage, and anonymised."""
