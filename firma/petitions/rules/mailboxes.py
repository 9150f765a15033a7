"""One person, one signature: the addresses a provider delivers to the same mailbox, as one.

Many providers deliver `name+anything@` to `name@` (sub-addressing), and Gmail ignores the dots
in a name too. Someone who signs again through such a variant reaches the same inbox, so the
signature is recognised by its mailbox (stored beside the address, Signature.mailbox) and takes
the path of any second signature from one address: nothing new is counted, and the page says
the same as always.

Only what a provider documents, or what is established about it, is in the table: merging two
different people's addresses would refuse a real signature, which is worse than missing a
duplicate. Left out on purpose:
- Yahoo has no `+` addressing; its `-` addresses ("nickname-keyword") are disposable aliases
  whose nickname is not the account's name, so the mailbox cannot be told from them.
- Microsoft's domains (outlook.com, hotmail.com, live.com, …) are separate namespaces: the same
  name at two of them can be two people. Only `+` tags are ignored there, never dots.
- GMX, web.de, AOL and most others deliver `+` addresses nowhere or keep them apart.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Provider:
    domain: str  # the domain the mailbox is known by, when the provider has several
    tag: str = "+"  # what starts an ignored tag in the name, "" for none
    ignored: str = ""  # characters the provider ignores in the name


GMAIL = Provider("gmail.com", ignored=".")
# Proton's domains share one namespace of names; it ignores dots, hyphens and underscores in
# them, and documents `+` aliases.
PROTON = Provider("proton.me", ignored=".-_")
# iCloud's me.com and mac.com addresses are older names of the same account.
ICLOUD = Provider("icloud.com")
# Yandex's domains are aliases of one login.
YANDEX = Provider("yandex.ru")

MICROSOFT = """outlook.com hotmail.com live.com msn.com outlook.fr outlook.es outlook.de
    outlook.it outlook.com.br outlook.com.ar hotmail.fr hotmail.es hotmail.it hotmail.de
    hotmail.co.uk hotmail.com.br hotmail.com.ar live.fr live.co.uk live.de live.it live.com.ar
    live.com.mx""".split()  # noqa: SIM905
FASTMAIL = "fastmail.com fastmail.fm fastmail.net fastmail.org fastmail.de".split()  # noqa: SIM905

PROVIDERS: dict[str, Provider] = {
    "gmail.com": GMAIL,
    "googlemail.com": GMAIL,
    "proton.me": PROTON,
    "protonmail.com": PROTON,
    "protonmail.ch": PROTON,
    "pm.me": PROTON,
    "icloud.com": ICLOUD,
    "me.com": ICLOUD,
    "mac.com": ICLOUD,
    "yandex.ru": YANDEX,
    "yandex.com": YANDEX,
    "ya.ru": YANDEX,
    **{domain: Provider(domain) for domain in MICROSOFT},
    **{domain: Provider(domain) for domain in FASTMAIL},
}


def mailbox(address: str) -> str:
    """The mailbox that `address` (already validated and lower-cased: signer.email) reaches:
    the address itself unless its provider is in the table. "" for ""."""
    name, at, domain = address.rpartition("@")
    if not at:
        return address
    provider = PROVIDERS.get(domain)
    if provider is None:
        return address
    base = name
    if provider.tag:
        base = base.split(provider.tag, 1)[0]
    for char in provider.ignored:
        base = base.replace(char, "")
    # A name that is nothing but a tag or ignored characters is left as it is.
    return f"{base or name}@{provider.domain}"
