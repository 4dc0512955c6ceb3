"""An agency administrator adding an officer: the name is stored composed without invisible
characters, the phone number (where SMS notices go) must be Vietnamese; a bad one is a 400 next
to the field, the input kept, no account created."""

import unicodedata

from motcua.accounts.models import User
from motcua.testing import Cast
from motcua.workspace.tests.test_agency_admin import AGENCY, client_for

URL = f"/workspace/admin/{AGENCY}/users/new/"


def test_the_officers_name_and_phone_are_cleaned(cast: Cast) -> None:
    response = client_for(cast.erin).post(
        URL,
        {
            "username": "linh",
            "full_name": unicodedata.normalize("NFD", "Phạm\u200b Thị \u202eLinh"),
            "phone": "+84 912 000 111",
            "role": "specialist",
            "password": "mua-xuan-tren-song-tien-2026",
        },
    )
    assert response.status_code == 200
    linh = User.objects.get(username="linh")
    assert (linh.full_name, linh.phone) == ("Phạm Thị Linh", "0912000111")


def test_a_bad_phone_number_is_a_400_next_to_the_field(cast: Cast) -> None:
    response = client_for(cast.erin).post(
        URL,
        {"username": "linh", "full_name": "Phạm Thị Linh", "phone": "12345", "role": "specialist"},
    )
    assert response.status_code == 400
    assert [e.code for e in response.context["officer_form"].errors.as_data()["phone"]] == [
        "invalid_phone"
    ]
    assert 'value="Phạm Thị Linh"' in response.content.decode()
    assert not User.objects.filter(username="linh").exists()
