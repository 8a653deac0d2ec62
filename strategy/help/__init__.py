"""Help inside the product: the first-week guide per role, the glossary's help texts, the
accessibility statement, and the user's own page (Min profil)."""
