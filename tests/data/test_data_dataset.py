"""The shipped dataset: loads checked, regenerates byte for byte, fails loudly when damaged."""

import gzip
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from course.data import COLUMNS, DatasetError, load_transactions
from course.data.__main__ import main
from course.data.dataset import CANONICAL_SEED, check_schema, datasets_dir, to_csv_gz_bytes
from course.data.describe import describe_dataset
from course.data.scenarios import PRESETS

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "datasets" / "transactions.csv.gz"


def _shipped_checksum():
    return (REPO / "datasets" / "SHA256SUMS").read_text().split()[0]


def test_regeneration_gives_the_shipped_bytes(tmp_path, capsys):
    assert main(["write", str(tmp_path)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert (tmp_path / "transactions.csv.gz").read_bytes() == SHIPPED.read_bytes()
    assert (tmp_path / "SHA256SUMS").read_text().split()[0] == _shipped_checksum()


def test_make_data_runs_the_write_command():
    makefile = (REPO / "Makefile").read_text()
    assert "-m course.data write datasets/" in makefile


def test_load_has_the_schema_and_the_expected_size():
    df = load_transactions()
    check_schema(df)
    assert {name: str(dtype) for name, dtype in df.dtypes.items()} == COLUMNS
    assert 150_000 <= len(df) <= 300_000
    assert 0.002 <= df["is_fraud"].mean() <= 0.01
    assert SHIPPED.stat().st_size <= 10 * 1024 * 1024
    assert CANONICAL_SEED == 7


def test_load_returns_a_copy_and_ignores_the_current_directory(tmp_path, monkeypatch):
    first = load_transactions()
    first.loc[0, "amount"] = -1.0
    first["extra"] = 1
    monkeypatch.chdir(tmp_path)
    second = load_transactions()
    assert second.loc[0, "amount"] >= 0 and "extra" not in second.columns


@pytest.fixture
def copy_of_dataset(tmp_path):
    shutil.copy(SHIPPED, tmp_path / SHIPPED.name)
    shutil.copy(REPO / "datasets" / "SHA256SUMS", tmp_path / "SHA256SUMS")
    return tmp_path / SHIPPED.name


def test_a_copy_elsewhere_loads(copy_of_dataset):
    assert len(load_transactions(copy_of_dataset)) == len(load_transactions())


def test_corrupted_file_is_refused(copy_of_dataset):
    data = bytearray(copy_of_dataset.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy_of_dataset.write_bytes(bytes(data))
    with pytest.raises(DatasetError) as info:
        load_transactions(copy_of_dataset)
    message = str(info.value)
    assert (
        "does not match its SHA-256" in message and f"python -m course.data write {copy_of_dataset.parent}" in message
    )


def test_truncated_file_is_refused(copy_of_dataset):
    copy_of_dataset.write_bytes(copy_of_dataset.read_bytes()[:100_000])
    with pytest.raises(DatasetError, match="corrupted, truncated"):
        load_transactions(copy_of_dataset)
    with pytest.raises(DatasetError, match="cannot be parsed"):
        load_transactions(copy_of_dataset, verify=False)


def test_missing_file_names_the_command(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        load_transactions(tmp_path / "transactions.csv.gz")
    assert "is missing" in str(info.value) and "python -m course.data write" in str(info.value)


def test_missing_file_in_the_overridden_folder_names_the_command(monkeypatch, tmp_path):
    monkeypatch.setenv("HSML_DATASETS_DIR", str(tmp_path))
    assert datasets_dir() == tmp_path
    with pytest.raises(FileNotFoundError) as info:
        load_transactions()
    assert f"python -m course.data write {tmp_path}" in str(info.value)


def test_an_installed_course_without_the_repository_writes_the_dataset_on_first_use(monkeypatch, tmp_path):
    monkeypatch.delenv("HSML_DATASETS_DIR", raising=False)
    monkeypatch.setattr("course.data.dataset._REPOSITORY_DATASETS", tmp_path / "no-repository")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    folder = datasets_dir()
    assert folder == tmp_path / "data-home" / "high-stakes-ml" / "datasets"
    df = load_transactions()
    assert (folder / "SHA256SUMS").read_text().split()[0] == _shipped_checksum()
    assert len(df) > 0


def test_missing_checksum_file_is_refused(copy_of_dataset):
    (copy_of_dataset.parent / "SHA256SUMS").unlink()
    with pytest.raises(DatasetError, match="No SHA256SUMS"):
        load_transactions(copy_of_dataset)


def test_wrong_schema_is_refused_even_with_a_matching_checksum(tmp_path):
    df = load_transactions().drop(columns="case_status")
    path = tmp_path / "transactions.csv.gz"
    text = df.head(100).to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S")
    path.write_bytes(gzip.compress(text.encode(), mtime=0))
    with pytest.raises(DatasetError, match="has the columns"):
        load_transactions(path, verify=False)
    bad = load_transactions().head(100)
    bad["fraud_scenario"] = bad["fraud_scenario"].astype(str).where(bad.index != 5, "phishing")
    path.write_bytes(to_csv_gz_bytes(bad))
    with pytest.raises(DatasetError, match=r"'fraud_scenario' has unknown value\(s\) \['phishing'\]"):
        load_transactions(path, verify=False)


def test_datasheet_quotes_the_describe_output():
    sheet = (REPO / "datasets" / "DATASHEET.md").read_text()
    quoted = re.search(r"<!-- describe:begin -->\n```text\n(.*?)\n```\n<!-- describe:end -->", sheet, re.S)
    assert quoted, "DATASHEET.md lost its describe block markers"
    assert quoted.group(1) == describe_dataset(), (
        "DATASHEET.md figures are out of date: paste the output of `python -m course.data describe`"
    )


def test_datasheet_rates_are_the_default_preset():
    sheet = (REPO / "datasets" / "DATASHEET.md").read_text()
    settings = PRESETS["default"](1000, 2000)
    for scenario in ("large_amount", "compromised_terminal", "leaked_card", "card_testing"):
        row = re.search(rf"^\| `{scenario}` \| ([0-9.]+) per", sheet, re.M)
        assert row and float(row.group(1)) == settings[f"{scenario}_rate"], scenario
    for column in COLUMNS:
        assert f"| `{column}` |" in sheet, f"DATASHEET.md does not document {column}"


def test_describe_command_prints_the_figures(capsys):
    assert main(["describe"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("file: transactions.csv.gz") and "frauds:" in out
    assert np.isclose(
        float(re.search(r"frauds: [\d,]+ \(([\d.]+)%", out).group(1)) / 100,
        load_transactions()["is_fraud"].mean(),
        atol=5e-6,
    )


@pytest.mark.parametrize(
    "column, row, value, problem",
    [
        ("amount", 5, -50.0, "amount is negative or not finite (1 row(s))"),
        ("is_fraud", 7, 7, "is_fraud is not 0 or 1 (1 row(s))"),
        ("day", 9, 200, "day does not count days from one start date"),
        ("customer_id", 2, -1, "customer_id or terminal_id is negative"),
    ],
)
def test_edited_values_are_refused_even_with_a_recomputed_checksum(copy_of_dataset, column, row, value, problem):
    from course.data.dataset import sha256_of

    df = load_transactions(copy_of_dataset).iloc[:3000].copy()  # a small file: writing 233k rows takes seconds
    df.loc[row, column] = value
    data = to_csv_gz_bytes(df)
    copy_of_dataset.write_bytes(data)
    (copy_of_dataset.parent / "SHA256SUMS").write_text(f"{sha256_of(data)}  {copy_of_dataset.name}\n")
    with pytest.raises(DatasetError, match="values outside their meaning") as info:
        load_transactions(copy_of_dataset)
    assert problem in str(info.value) and "even if its checksum was recomputed" in str(info.value)
