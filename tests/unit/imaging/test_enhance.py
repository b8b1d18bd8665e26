"""imaging.enhance: each enhancement changes pixels as intended, on a copy; the input array
and the stored bytes it was decoded from are untouched."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import cv2
import numpy as np
import pytest

from alpr_desktop.imaging import enhance
from alpr_desktop.imaging.decode import decode_image
from alpr_desktop.imaging.enhance import EnhanceSettings


def _scene(seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = np.zeros((120, 200, 3), np.uint8)
    img[:] = (90, 120, 150)
    cv2.rectangle(img, (40, 30), (160, 90), (230, 230, 230), -1)
    cv2.putText(img, "7ABC123", (48, 72), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (40, 30, 20), 2)
    noise = rng.normal(0, 4, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def _lap_var(img: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())


def _local_std(gray: np.ndarray, k: int = 15) -> float:
    g = gray.astype(np.float64)
    mean = cv2.blur(g, (k, k))
    sq = cv2.blur(g * g, (k, k))
    return float(np.sqrt(np.maximum(sq - mean * mean, 0)).mean())


def test_invert_is_255_minus_value() -> None:
    img = _scene()
    assert np.array_equal(enhance.invert(img), 255 - img)


def test_grayscale_has_equal_channels_and_luma() -> None:
    img = _scene()
    g = enhance.grayscale(img)
    assert g.shape == img.shape
    assert np.array_equal(g[..., 0], g[..., 1]) and np.array_equal(g[..., 1], g[..., 2])
    assert np.array_equal(g[..., 0], cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))


def test_gamma_below_one_brightens_mid_tones_and_keeps_ends() -> None:
    ramp = np.tile(np.arange(256, dtype=np.uint8), (4, 1))
    out = enhance.gamma(ramp, 0.5)
    assert out[0, 128] > 128 + 40 and out[0, 0] == 0 and out[0, 255] == 255
    assert enhance.gamma(ramp, 2.0)[0, 128] < 128 - 40
    assert np.all(np.diff(out[0].astype(int)) >= 0)  # monotonic: nothing reordered
    with pytest.raises(ValueError):
        enhance.gamma(ramp, 0)


def test_brightness_adds_and_contrast_stretches_around_mid_grey() -> None:
    img = np.array([[[100, 128, 150]]], np.uint8)
    assert enhance.brightness_contrast(img, 20, 1.0).tolist() == [[[120, 148, 170]]]
    assert enhance.brightness_contrast(img, 0, 2.0).tolist() == [[[72, 128, 172]]]
    assert enhance.brightness_contrast(np.full((1, 1, 3), 250, np.uint8), 50).max() == 255


def test_clahe_increases_local_contrast_of_a_flat_image() -> None:
    rng = np.random.default_rng(5)
    low = (120 + rng.integers(-6, 7, (128, 128, 3))).astype(np.uint8)  # low contrast
    low[40:90, 30:100] += 6  # a faint plate
    out = enhance.clahe(low, 3.0)
    gin = cv2.cvtColor(low, cv2.COLOR_BGR2GRAY)
    gout = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)
    assert _local_std(gout) > 1.5 * _local_std(gin)


def test_clahe_keeps_hue_by_changing_channels_together() -> None:
    img = _scene()
    out = enhance.clahe(img).astype(int)
    diff = out - img.astype(int)
    unsaturated = (out > 0).all(axis=2) & (out < 255).all(axis=2)
    d = diff[unsaturated]
    assert np.array_equal(d[:, 0], d[:, 1]) and np.array_equal(d[:, 1], d[:, 2])
    assert np.abs(d).max() > 0


def test_clahe_on_grey_input() -> None:
    gray = cv2.cvtColor(_scene(), cv2.COLOR_BGR2GRAY)
    assert enhance.clahe(gray).shape == gray.shape


def test_sharpen_increases_laplacian_variance() -> None:
    img = cv2.GaussianBlur(_scene(), (5, 5), 1.5)
    assert _lap_var(enhance.sharpen(img, 1.5)) > 1.5 * _lap_var(img)
    assert np.array_equal(enhance.sharpen(img, 0), img)


def test_denoise_reduces_noise_on_a_flat_image_small_and_large() -> None:
    rng = np.random.default_rng(9)
    for shape in ((100, 200, 3), (720, 1280, 3)):  # NL-means, then the bilateral path
        noisy = np.clip(128 + rng.normal(0, 12, shape), 0, 255).astype(np.uint8)
        out = enhance.denoise(noisy)
        assert out.astype(float).std() < 0.6 * noisy.astype(float).std(), shape
        assert abs(out.mean() - noisy.mean()) < 2


def test_identity_settings_return_an_equal_copy() -> None:
    img = _scene()
    s = EnhanceSettings()
    assert s.is_identity() and s.describe() == "original"
    out = enhance.apply(img, s)
    assert np.array_equal(out, img) and out is not img and not np.shares_memory(out, img)


EVERY = [
    EnhanceSettings(brightness=30),
    EnhanceSettings(contrast=1.8),
    EnhanceSettings(gamma=0.6),
    EnhanceSettings(clahe=True),
    EnhanceSettings(sharpen=1.0),
    EnhanceSettings(denoise=True),
    EnhanceSettings(grayscale=True),
    EnhanceSettings(invert=True),
    EnhanceSettings(brightness=-10, contrast=1.3, gamma=0.8, clahe=True, sharpen=2.0,
                    denoise=True, grayscale=True, invert=True),
]


@pytest.mark.parametrize("settings", EVERY, ids=lambda s: s.describe())
def test_each_enhancement_changes_a_copy_and_never_the_original(settings: EnhanceSettings
                                                                ) -> None:
    stored = cv2.imencode(".jpg", _scene())[1].tobytes()
    stored_hash = hashlib.sha256(stored).hexdigest()
    img = decode_image(stored, "jpeg").image
    assert img is not None
    before = img.copy()
    img.flags.writeable = False  # any in-place write would raise
    out = enhance.apply(img, settings)
    assert not settings.is_identity() and settings.describe() != "original"
    assert out.shape == img.shape and out.dtype == np.uint8
    assert not np.array_equal(out, img)
    assert not np.shares_memory(out, img)
    assert np.array_equal(img, before)
    assert hashlib.sha256(stored).hexdigest() == stored_hash


def test_apply_order_inverts_last() -> None:
    img = _scene()
    s = EnhanceSettings(gamma=0.7, invert=True)
    assert np.array_equal(enhance.apply(img, s), 255 - enhance.gamma(img, 0.7))


def test_describe_names_each_change() -> None:
    s = replace(EnhanceSettings(), clahe=True, sharpen=1.5, gamma=0.8)
    assert s.describe() == "gamma 0.8, clahe, sharpen 1.5"
    assert EnhanceSettings(clahe_clip=4.0).is_identity()


def test_encode_png_round_trips_losslessly() -> None:
    img = enhance.apply(_scene(), EnhanceSettings(clahe=True))
    back = decode_image(enhance.encode_png(img), "png").image
    assert back is not None and np.array_equal(back, img)
