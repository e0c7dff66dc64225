"""Logs never carry a full phone number or a token."""

import json
import logging

from app.logs import Redactor, mask_phone, setup_logging


def test_mask_phone():
    assert mask_phone("+77011234567") == "+7 701 *** ** 67"
    assert mask_phone("8 (701) 123-45-67") == "+7 701 *** ** 67"
    assert mask_phone(None) == ""


def test_json_lines_mask_phones_tokens_and_secret_fields(tmp_path):
    log_file = tmp_path / "logs" / "app.log"
    redactor = setup_logging(level="debug", log_file=log_file, redactor=Redactor(["kaspi-secret-token-42"]))
    logger = logging.getLogger("test.logs")
    logger.info(
        "buyer 7011234567, +7 (701) 123-45-67, token kaspi-secret-token-42, header Bearer abc.def.ghi",
        extra={"phone": "+77011234567", "access_token": "eyJhbGciOi.eyJleHAiOjE3.sig", "code": "512345678"},
    )
    redactor.add("rotated-later-token")
    logger.warning("refresh with rotated-later-token")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    for secret in ("7011234567", "123-45-67", "kaspi-secret-token-42", "abc.def.ghi", "eyJhbGciOi", "rotated-later-token"):
        assert secret not in text
    first = json.loads(text.splitlines()[0])
    assert first["level"] == "info" and first["ts"].endswith("+00:00")
    assert first["phone"] == "+7 701 *** ** 67"
    logging.getLogger().handlers.clear()
