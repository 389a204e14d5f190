"""The shipped digits data and its loader (lessons 08 and 10)."""

import shutil
import zipfile

import numpy as np
import pytest

from helpers.data import (DIGITS_CLASS_COUNTS, DIGITS_FILE, DIGITS_SHA256, digits_checksum, load_digits,
                          stratified_split)

# The published class distribution of the UCI optdigits test part (optdigits.names)
KNOWN_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_shapes_dtypes_and_ranges(digits):
    images, labels = digits
    assert images.shape == (1797, 64) and labels.shape == (1797,)
    assert images.dtype == np.float64 and np.issubdtype(labels.dtype, np.integer)
    assert images.min() == 0.0 and images.max() == 1.0
    # pixels were counts 0..16: every value is a multiple of 1/16
    np.testing.assert_array_equal(images * 16, np.round(images * 16))
    assert set(labels.tolist()) == set(range(10))


def test_class_counts_match_the_published_distribution(digits):
    _, labels = digits
    assert np.bincount(labels).tolist() == KNOWN_COUNTS == list(DIGITS_CLASS_COUNTS)
    assert sum(KNOWN_COUNTS) == 1797


def test_images_look_like_digits(digits):
    images, labels = digits
    # the border columns of an 8x8 digit are nearly empty, the centre is inked
    pictures = images.reshape(-1, 8, 8)
    assert pictures[:, :, 0].mean() < 0.05 and pictures[:, 2:6, 2:6].mean() > 0.3
    # a zero has a hole in the middle that an eight has not
    centre = pictures[:, 3:5, 3:5].mean(axis=(1, 2))
    assert centre[labels == 0].mean() < 0.5 * centre[labels == 8].mean()


def test_checksum_is_the_sha256_of_the_stored_bytes():
    import hashlib
    with np.load(DIGITS_FILE, allow_pickle=False) as stored:
        images, labels = stored["images"], stored["labels"]
    assert images.dtype == np.uint8 and labels.dtype == np.uint8
    assert hashlib.sha256(images.tobytes() + labels.tobytes()).hexdigest() == DIGITS_SHA256
    assert digits_checksum(images, labels) == DIGITS_SHA256


def test_file_is_small_and_compressed():
    assert DIGITS_FILE.stat().st_size < 200_000
    with zipfile.ZipFile(DIGITS_FILE) as archive:
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())


def test_loading_returns_fresh_arrays(digits):
    images, _ = digits
    again, _ = load_digits()
    again[0, 0] = 99.0
    assert load_digits()[0][0, 0] == images[0, 0]


def test_missing_file_names_the_file_and_the_fix(tmp_path):
    missing = tmp_path / "digits.npz"
    with pytest.raises(FileNotFoundError, match="digits.npz is missing") as info:
        load_digits(missing)
    assert str(missing) in str(info.value) and "git checkout" in str(info.value)


def _copy(tmp_path):
    copy = tmp_path / "digits.npz"
    shutil.copyfile(DIGITS_FILE, copy)
    return copy


def test_damaged_bytes_are_reported_as_corrupted(tmp_path):
    copy = _copy(tmp_path)
    data = bytearray(copy.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(64)
    copy.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="corrupted") as info:
        load_digits(copy)
    assert str(copy) in str(info.value) and "git checkout" in str(info.value)
    assert DIGITS_FILE.stat().st_size > 0 and load_digits()[0].shape == (1797, 64)  # the real file is intact


def test_truncated_file_is_reported_as_corrupted(tmp_path):
    copy = _copy(tmp_path)
    copy.write_bytes(copy.read_bytes()[:1000])
    with pytest.raises(ValueError, match="corrupted"):
        load_digits(copy)


def test_valid_archive_with_changed_pixel_fails_the_checksum(tmp_path):
    with np.load(DIGITS_FILE, allow_pickle=False) as stored:
        images, labels = stored["images"].copy(), stored["labels"].copy()
    images[5, 20] = (images[5, 20] + 1) % 17
    changed = tmp_path / "digits.npz"
    np.savez_compressed(changed, images=images, labels=labels)
    with pytest.raises(ValueError, match="checksum"):
        load_digits(changed)


@pytest.mark.parametrize("images, labels", [
    (np.zeros((1797, 64), np.float64), np.zeros(1797, np.uint8)),   # wrong dtype
    (np.zeros((1797, 63), np.uint8), np.zeros(1797, np.uint8)),     # wrong shape
    (np.zeros((1797, 64), np.uint8), np.zeros(1796, np.uint8)),     # missing label
])
def test_wrong_shape_or_dtype_is_reported(tmp_path, images, labels):
    bad = tmp_path / "digits.npz"
    np.savez_compressed(bad, images=images, labels=labels)
    with pytest.raises(ValueError, match="expected uint8"):
        load_digits(bad)


def test_pickled_objects_are_refused(tmp_path):
    bad = tmp_path / "digits.npz"
    np.savez_compressed(bad, images=np.array([object()] * 3, dtype=object), labels=np.zeros(3, np.uint8))
    with pytest.raises(ValueError, match="corrupted"):
        load_digits(bad)


def test_stratified_split_keeps_class_proportions(digits):
    _, labels = digits
    train, val, test = stratified_split(labels, validation=0.2, test=0.2, seed=0)
    everything = np.concatenate([train, val, test])
    assert len(everything) == 1797 and len(np.unique(everything)) == 1797
    counts = np.bincount(labels)
    for part, fraction in ((train, 0.6), (val, 0.2), (test, 0.2)):
        part_counts = np.bincount(labels[part], minlength=10)
        # each class is cut on its own, rounded: at most one image away from its exact share
        assert np.all(np.abs(part_counts - fraction * counts) <= 1), part_counts
    # a plain shuffle would leave some class several images off; hand-checked total for digit 3 (183):
    # round(183 * 0.2) = 37 in test, 37 in validation, 109 in training
    assert [np.sum(labels[p] == 3) for p in (train, val, test)] == [109, 37, 37]


def test_stratified_split_is_seeded_and_shuffled(digits):
    _, labels = digits
    a = stratified_split(labels, seed=1)
    b = stratified_split(labels, seed=1)
    c = stratified_split(labels, seed=2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[2], c[2])
    # not grouped by class: the first 20 training labels are mixed
    assert len(set(labels[a[0][:20]].tolist())) > 3


def test_stratified_split_without_validation():
    labels = np.repeat(np.arange(3), 10)
    train, val, test = stratified_split(labels, validation=0, test=0.3)
    assert len(val) == 0 and np.bincount(labels[test]).tolist() == [3, 3, 3]
    assert np.bincount(labels[train]).tolist() == [7, 7, 7]


@pytest.mark.parametrize("kwargs, error, name", [
    ({"validation": 1.2}, ValueError, "validation"),
    ({"test": -0.1}, ValueError, "test"),
    ({"validation": 0.5, "test": 0.5}, ValueError, "validation \\+ test"),
    ({"seed": 1.5}, TypeError, "seed"),
])
def test_stratified_split_rejects_bad_arguments(kwargs, error, name):
    with pytest.raises(error, match=name):
        stratified_split(np.arange(10) % 2, **kwargs)


def test_stratified_split_rejects_non_integer_labels():
    with pytest.raises(ValueError, match="labels"):
        stratified_split(np.linspace(0, 1, 10))


def test_a_non_editable_install_ships_the_data():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    from pathlib import Path
    config = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert "helpers.data_files" in setuptools["packages"]
    assert {"digits.npz", "README.md"} <= set(setuptools["package-data"]["helpers.data_files"])
    assert (DIGITS_FILE.parent / "README.md").is_file() and "CC BY 4.0" in (DIGITS_FILE.parent / "README.md").read_text(encoding="utf-8")


# --- the progress bar lesson 10 trains with -------------------------------------------------

def test_progress_bar_falls_back_to_text_without_ipywidgets():
    """tqdm.auto inside a Jupyter kernel but with ipywidgets missing: a text bar, no error."""
    import subprocess
    import sys
    code = (
        "import sys, warnings\n"
        "sys.modules['ipywidgets'] = None  # as if it were not installed\n"
        "import ipykernel.zmqshell  # what tqdm.auto looks for to decide it runs in Jupyter\n"
        "warnings.simplefilter('ignore')\n"
        "from tqdm.auto import trange\n"
        "bar = trange(3, desc='training')\n"
        "assert sum(bar) == 3\n"
        "assert 'tqdm.notebook' not in [c.__module__ for c in type(bar).__mro__]  # the widget bar\n"
        "print('ok')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr
    assert "training: 100%" in run.stderr


def test_a_short_training_run_learns_the_digits(digits):
    """Lesson 10's recipe, cut short: softmax regression and a small MLP, 5 epochs of Adam on mini-batches."""
    from helpers.data import minibatches
    from helpers.nn import MLP
    from helpers.optim import Adam
    images, labels = digits
    train, val, _ = stratified_split(labels, seed=0)
    mean, std = images[train].mean(axis=0), images[train].std(axis=0) + 0.1
    x_train, x_val = (images[train] - mean) / std, (images[val] - mean) / std
    accuracies = {}
    for sizes in ([64, 10], [64, 32, 10]):
        net, optimizer, rng = MLP(sizes, seed=0), Adam(0.01), np.random.default_rng(0)
        start = net.loss(x_val, labels[val])
        for _epoch in range(5):
            for x_batch, y_batch in minibatches((x_train, labels[train]), 32, seed=rng):
                optimizer.update(net.params, net.gradient(x_batch, y_batch))
        assert start > 1.5 and net.loss(x_val, labels[val]) < 0.3  # from about ln 10 = 2.3 to well below
        accuracies[len(sizes)] = np.mean(net.forward(x_val).argmax(axis=1) == labels[val])
    assert min(accuracies.values()) > 0.93, accuracies
