"""The admin's language: texts kept as English source + parameters, rendered per reader.

- `text`: `Text`, made with `t(...)` / `tn(...)` wherever a message is written; it travels
  (and is stored) as source + parameters and is rendered only where someone reads it.
- `catalogues`: the gettext catalogues (`locale/<lang>/LC_MESSAGES/contactimport.po`, one per
  language, for translators) and `render(text, language)`.
- `negotiation`: which supported language an `accept-language` value asks for.
"""
