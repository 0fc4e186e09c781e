"""French spellings of hand-made sheets, per field."""

from __future__ import annotations

from shared.mapping.fields import AddressPart as P
from shared.mapping.vocabulary.entries import (
    ADDRESS,
    COMPANY,
    EMAIL,
    FIRST,
    FULL,
    LAST,
    MOBILE,
    NOTES,
    PHONE,
    VocabularyEntry,
    phrases,
)

ENTRIES: tuple[VocabularyEntry, ...] = (
    # Names.
    *phrases(FIRST, "fr", "Prénom", "Prénoms"),
    *phrases(LAST, "fr", "Nom de famille"),
    *phrases(FULL, "fr", "Nom complet", "Prénom et nom", "Nom et prénom", "Nom du contact"),
    *phrases(FULL, "fr", "Nom à afficher"),
    VocabularyEntry(phrase="Nom", field=FULL, language="fr", with_first_name=LAST),
    *phrases(None, "fr", "Deuxième prénom", "Civilité", "Titre", "Surnom"),
    # Company.
    *phrases(COMPANY, "fr", "Société", "Entreprise", "Raison sociale", "Organisme"),
    *phrases(COMPANY, "fr", "Nom de l'entreprise", "Nom de la société"),
    # E-mail.
    *phrases(EMAIL, "fr", "Courriel", "Adresse e-mail", "Adresse électronique"),
    *phrases(EMAIL, "fr", "Adresse mail", "Adresse de messagerie", "Mél"),
    # Phone.
    *phrases(PHONE, "fr", "Téléphone", "Numéro de téléphone", "Tél", "Tél.", "Téléphone fixe"),
    *phrases(PHONE, "fr", "Fixe", "No de téléphone"),
    # Mobile.
    *phrases(MOBILE, "fr", "Portable", "Téléphone portable", "Téléphone mobile", "Mobile"),
    *phrases(MOBILE, "fr", "Numéro de portable", "Numéro de mobile", "Cellulaire"),
    # Numbers that are not phones anywhere.
    *phrases(None, "fr", "Télécopie", "Télécopieur", "Numéro de fax"),
    # Whole addresses.
    *phrases(ADDRESS, "fr", "Adresse", "Adresse postale", "Adresse complète"),
    # Address parts.
    *phrases(ADDRESS, "fr", "Rue", "Adresse ligne 1", "Adresse ligne 2", part=P.STREET),
    *phrases(ADDRESS, "fr", "Numéro et rue", "Voie", part=P.STREET),
    *phrases(ADDRESS, "fr", "Complément d'adresse", part=P.EXTENDED),
    *phrases(ADDRESS, "fr", "Boîte postale", "BP", part=P.PO_BOX),
    *phrases(ADDRESS, "fr", "Code postal", "CP", part=P.POSTAL_CODE),
    *phrases(ADDRESS, "fr", "Ville", "Localité", "Commune", part=P.CITY),
    *phrases(ADDRESS, "fr", "Région", "Département", "État", "État/Province", part=P.REGION),
    *phrases(ADDRESS, "fr", "Pays", "Pays/Région", part=P.COUNTRY),
    # Notes.
    *phrases(NOTES, "fr", "Remarques", "Remarque", "Commentaires", "Commentaire"),
    # Columns that hold no contact data: they stay unmapped (listed so that a reader sees
    # they are known, and so that no composed spelling ever maps them).
    *phrases(None, "fr", "Fonction", "Poste", "Date de naissance", "Anniversaire", "Solde"),
    *phrases(None, "fr", "Site web", "Créé le", "Propriétaire", "Service"),
)
