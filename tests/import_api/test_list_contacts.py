"""ListContacts: search by name, e-mail and any spelling of a number; filter; pages; tenants."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import asyncpg
import grpc
import pytest

from shared.gen.contactimport.v1 import import_service_pb2 as pb
from tests.support import Metadata, csv_bytes, error_details, import_file

pytestmark = pytest.mark.usefixtures("worker")

HEADER = ["Voornaam", "Achternaam", "Bedrijf", "E-mail", "Telefoon", "Mobiel", "Adres", "Notities"]
PEOPLE = [
    ["José", "García", "Café Noir", "Jose.Garcia@Example.COM", "020-1234567", "", "", ""],
    ["Émilie", "D'Arcy", "Boulangerie", "", "", "+32 470 12 34 56", "", ""],
    [
        "Piet",
        "Bakker",
        "Bakker Installaties",
        "piet@bakker.nl",
        "010 765 4321",
        "06 12345678",
        "Dam 1\n1012 JS Amsterdam",
        "Belt na 17:00",
    ],
    ["Søren", "Ås", "Nordic ApS", "", "+45 32 12 34 56", "", "", ""],
]


@dataclass(frozen=True)
class Tenant:
    auth: Metadata
    import_id: str


def _auth(token_for, tenant: str, country: str = "NL") -> Metadata:
    return (("authorization", f"Bearer {token_for(tenant, country=country)}"),)


async def _import(stub, auth: Metadata, rows: list[list[str]], country: str = "") -> str:
    finished = await import_file(stub, auth, csv_bytes([HEADER, *rows]), country=country)
    assert finished.counts.failed == 0
    return finished.import_id


@pytest.fixture(scope="module")
async def people(stub, token_for, worker) -> Tenant:
    """A Dutch tenant with the PEOPLE imported (read-only for the tests that use it)."""
    auth = _auth(token_for, f"tenant-{uuid.uuid4().hex[:8]}")
    return Tenant(auth, await _import(stub, auth, PEOPLE))


async def _names(stub, auth: Metadata, query: str = "", import_id: str = "") -> list[str]:
    response = await stub.ListContacts(
        pb.ListContactsRequest(query=query, import_id=import_id), metadata=auth
    )
    return [c.first_name for c in response.contacts]


async def _all_pages(stub, auth: Metadata, page_size: int, query: str = "") -> list[list[str]]:
    pages, token = [], ""
    while True:
        response = await stub.ListContacts(
            pb.ListContactsRequest(page_size=page_size, page_token=token, query=query),
            metadata=auth,
        )
        pages.append([c.contact_id for c in response.contacts])
        token = response.next_page_token
        if not token:
            return pages


@pytest.mark.parametrize(
    ("query", "found"),
    [
        pytest.param("020-1234567", ["José"], id="national-with-dash"),
        pytest.param("+31 20 123 4567", ["José"], id="international-spaced"),
        pytest.param("0031201234567", ["José"], id="international-00-prefix"),
        pytest.param("(020) 123 45 67", ["José"], id="area-code-in-parentheses"),
        pytest.param("+31201234567", ["José"], id="e164"),
        pytest.param("tel:+31-20-1234567", ["José"], id="tel-uri"),
        pytest.param("06-12345678", ["Piet"], id="mobile-national"),
        pytest.param("+31 6 1234 5678", ["Piet"], id="mobile-international"),
        pytest.param("010 7654321", ["Piet"], id="second-contacts-phone"),
        pytest.param("+32 470 12 34 56", ["Émilie"], id="foreign-number-with-country-code"),
        pytest.param("+45 3212 3456", ["Søren"], id="danish-number"),
        pytest.param("0470 12 34 56", [], id="belgian-national-read-as-dutch"),
        pytest.param("1234567", [], id="part-of-a-number-is-no-match"),
    ],
)
async def test_a_number_in_any_spelling_finds_its_contact(stub, people, query, found):
    # Given the tenant's contacts (country NL)
    # When
    names = await _names(stub, people.auth, query=query)

    # Then
    assert names == found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        pytest.param("jose", ["José"], id="without-accent"),
        pytest.param("GARCÍA", ["José"], id="upper-case-with-accent"),
        pytest.param("josé garcia", ["José"], id="first-and-last-name"),
        pytest.param("  José   García ", ["José"], id="extra-spaces"),
        pytest.param("emilie d'arcy", ["Émilie"], id="accented-capital"),
        pytest.param("soren as", ["Søren"], id="letters-without-decomposition"),
        pytest.param("café", ["José"], id="company-with-accent"),
        pytest.param("CAFE NOIR", ["José"], id="company-upper-case"),
        pytest.param("bakker", ["Piet"], id="name-company-and-email-match-once"),
        pytest.param("garcia cafe", [], id="never-across-name-and-company"),
        pytest.param("EXAMPLE.com", ["José"], id="email-domain-other-case"),
        pytest.param("jose.garcia@", ["José"], id="email-local-part"),
        pytest.param("piet@bakker", ["Piet"], id="email-fragment"),
        pytest.param("nobody", [], id="no-match"),
        pytest.param("%", [], id="like-wildcard-is-literal"),
        pytest.param("", ["José", "Émilie", "Piet", "Søren"], id="empty-query-lists-all"),
    ],
)
async def test_a_query_finds_names_companies_and_emails(stub, people, query, found):
    # Given the tenant's contacts
    # When
    names = await _names(stub, people.auth, query=query)

    # Then
    assert names == found


async def test_a_contact_carries_all_its_values_and_its_import(stub, people):
    # Given the tenant's contacts
    # When
    response = await stub.ListContacts(
        pb.ListContactsRequest(query="piet@bakker.nl"), metadata=people.auth
    )

    # Then
    [contact] = response.contacts
    assert contact.contact_id.isdigit()
    assert contact.import_id == people.import_id
    assert contact.source_row == 4
    assert contact.create_time.seconds > 0
    assert (contact.first_name, contact.last_name, contact.company) == (
        "Piet",
        "Bakker",
        "Bakker Installaties",
    )
    assert list(contact.emails) == ["piet@bakker.nl"]
    assert list(contact.phones) == ["+31107654321"]
    assert list(contact.mobiles) == ["+31612345678"]
    assert list(contact.addresses) == ["Dam 1\n1012 JS Amsterdam"]
    assert contact.notes == "Belt na 17:00"
    assert response.next_page_token == ""


async def test_without_a_country_only_an_international_number_is_read(stub, token_for, tenant):
    # Given a tenant whose token names no head-office country
    auth = _auth(token_for, tenant, country="")
    await _import(stub, auth, PEOPLE[:1], country="NL")

    # When
    national = await _names(stub, auth, query="020-1234567")
    international = await _names(stub, auth, query="+31 20 123 4567")

    # Then
    assert national == []
    assert international == ["José"]


async def test_the_import_filter_lists_only_that_imports_contacts(stub, token_for, tenant):
    # Given two imports of one tenant
    auth = _auth(token_for, tenant)
    first = await _import(stub, auth, PEOPLE[:2])
    second = await _import(stub, auth, PEOPLE[2:])

    # When
    of_first = await _names(stub, auth, import_id=first)
    of_second = await _names(stub, auth, import_id=second)
    of_second_by_query = await _names(stub, auth, import_id=second, query="josé")
    everything = await _names(stub, auth)

    # Then
    assert of_first == ["José", "Émilie"]
    assert of_second == ["Piet", "Søren"]
    assert of_second_by_query == []
    assert everything == ["José", "Émilie", "Piet", "Søren"]


@pytest.mark.parametrize(
    ("request_fields", "code", "field"),
    [
        pytest.param({"import_id": "nope"}, grpc.StatusCode.INVALID_ARGUMENT, "import_id", id="id"),
        pytest.param(
            {"import_id": str(uuid.uuid4())}, grpc.StatusCode.NOT_FOUND, None, id="unknown-import"
        ),
        pytest.param({"page_size": -1}, grpc.StatusCode.INVALID_ARGUMENT, "page_size", id="size"),
        pytest.param({"query": "x" * 201}, grpc.StatusCode.INVALID_ARGUMENT, "query", id="long"),
        pytest.param(
            {"page_token": "garbage"}, grpc.StatusCode.INVALID_ARGUMENT, "page_token", id="token"
        ),
    ],
)
async def test_bad_requests_are_refused(stub, auth, request_fields, code, field):
    # Given a request with a bad field
    request = pb.ListContactsRequest(**request_fields)

    # When
    with pytest.raises(grpc.RpcError) as caught:
        await stub.ListContacts(request, metadata=auth)

    # Then
    assert caught.value.code() == code
    assert error_details(caught.value)["fields"] == ([field] if field else [])


async def test_another_tenants_contacts_and_import_are_never_visible(
    stub, token_for, tenant, people
):
    # Given another tenant with the same people, and a tenant of our own with one of them
    ours = _auth(token_for, tenant)
    await _import(stub, ours, PEOPLE[:1])

    # When
    everything = await _names(stub, ours)
    by_number = await _names(stub, ours, query="+31 6 12345678")
    with pytest.raises(grpc.RpcError) as caught:
        await stub.ListContacts(pb.ListContactsRequest(import_id=people.import_id), metadata=ours)

    # Then
    assert everything == ["José"]
    assert by_number == []
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert error_details(caught.value)["reason"] == "IMPORT_NOT_FOUND"


async def test_pages_hold_every_contact_once_while_contacts_are_added(
    stub, token_for, tenant, db: asyncpg.Pool
):
    # Given 25 contacts
    auth = _auth(token_for, tenant)
    rows = [[f"Person {n:02d}", "", "", "", f"020 555 {n:04d}", "", "", ""] for n in range(25)]
    import_id = await _import(stub, auth, rows)
    before = {c.contact_id for c in await _list_everything(stub, auth)}

    # When the pages are read while another import stores contacts between two pages
    pages, token, added = [], "", False
    while True:
        response = await stub.ListContacts(
            pb.ListContactsRequest(page_size=10, page_token=token), metadata=auth
        )
        pages.append([c.contact_id for c in response.contacts])
        if not added:
            await db.execute(
                "INSERT INTO contacts (tenant_id, import_id, source_row, first_name, phones)"
                " SELECT $1, $2::uuid, n, 'Late', ARRAY['+31205550000']"
                " FROM generate_series(100, 104) AS n",
                tenant,
                import_id,
            )
            added = True
        token = response.next_page_token
        if not token:
            break

    # Then no contact comes twice, none is skipped, and the pages are in storage order
    served = [contact_id for page in pages for contact_id in page]
    assert len(before) == 25
    assert len(served) == len(set(served)) == 30
    assert before <= set(served)
    assert served == sorted(served, key=int)
    assert [len(page) for page in pages] == [10, 10, 10]


async def _list_everything(stub, auth: Metadata) -> list[pb.Contact]:
    response = await stub.ListContacts(pb.ListContactsRequest(page_size=1000), metadata=auth)
    assert response.next_page_token == ""
    return list(response.contacts)


async def test_page_size_defaults_to_20_and_a_filter_pages_on_its_own(stub, token_for, tenant):
    # Given 25 contacts, 13 of them named "Even"
    auth = _auth(token_for, tenant)
    rows = [
        ["Even" if n % 2 == 0 else "Odd", f"{n:02d}", "", "", f"020 555 {n:04d}", "", "", ""]
        for n in range(25)
    ]
    await _import(stub, auth, rows)

    # When
    default_pages = await _all_pages(stub, auth, 0)
    even_pages = await _all_pages(stub, auth, 5, query="even")
    large = await _all_pages(stub, auth, 500)

    # Then
    assert [len(p) for p in default_pages] == [20, 5]
    assert [len(p) for p in even_pages] == [5, 5, 3]
    assert [len(p) for p in large] == [25]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: setattr(r, "query", "odd"), id="other-query"),
        pytest.param(lambda r: setattr(r, "query", ""), id="no-query"),
        pytest.param(lambda r: setattr(r, "import_id", str(uuid.uuid4())), id="other-import"),
        pytest.param(
            lambda r: setattr(r, "page_token", r.page_token.replace("eyJ0", "eyJ1", 1)),
            id="tampered-payload",
        ),
        pytest.param(lambda r: setattr(r, "page_token", r.page_token + "A"), id="longer"),
        pytest.param(lambda r: setattr(r, "page_token", r.page_token[:-4]), id="shorter"),
    ],
)
async def test_a_token_only_fits_its_own_filter_unchanged(stub, token_for, tenant, change):
    # Given the first page of a filtered list
    auth = _auth(token_for, tenant)
    rows = [["Even", f"{n}", "", "", f"020 555 {n:04d}", "", "", ""] for n in range(3)]
    await _import(stub, auth, rows)
    first = await stub.ListContacts(
        pb.ListContactsRequest(query="even", page_size=1), metadata=auth
    )
    assert first.next_page_token.startswith("eyJ0")
    request = pb.ListContactsRequest(query="even", page_size=1, page_token=first.next_page_token)

    # When the token is sent with another filter, or changed
    change(request)
    with pytest.raises(grpc.RpcError) as caught:
        await stub.ListContacts(request, metadata=auth)

    # Then
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)["fields"] == ["page_token"]


async def test_a_token_of_another_tenant_is_refused(stub, token_for, tenant, people):
    # Given a page token of another tenant's list
    first = await stub.ListContacts(pb.ListContactsRequest(page_size=1), metadata=people.auth)

    # When our tenant sends it
    with pytest.raises(grpc.RpcError) as caught:
        await stub.ListContacts(
            pb.ListContactsRequest(page_size=1, page_token=first.next_page_token),
            metadata=_auth(token_for, tenant),
        )

    # Then
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)["fields"] == ["page_token"]
