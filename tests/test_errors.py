import pickle

from scalegap.errors import ExecutionError, InputError


def test_one_line_names_where_and_what_to_do() -> None:
    error = InputError("value is not a date", file="exports/a.csv", row=4, column="Hire Date", hint="fix it")
    assert error.one_line() == "input error: exports/a.csv, row 4, column 'Hire Date': value is not a date — fix it"


def test_errors_keep_their_fields_across_processes() -> None:
    error = pickle.loads(pickle.dumps(ExecutionError("cell 3 failed", file="nb.ipynb", hint="open it")))
    assert isinstance(error, ExecutionError)
    assert (error.file, error.hint) == ("nb.ipynb", "open it")
