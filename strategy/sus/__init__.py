"""The skoleudviklingssamtale (SUS) and the views of the school board and the Skoleudvalg."""
