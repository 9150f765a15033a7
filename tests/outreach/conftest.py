"""The organiser fixtures (organisations A and B, their members) serve these tests too."""

from tests.organiser.conftest import (  # noqa: F401
    client_a,
    editor_a,
    org_a,
    org_b,
    petition_a,
    petition_b,
)
