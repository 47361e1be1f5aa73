"""Model and training configurations. Sizes were chosen by measuring CPU latency
(training/measure_latency.mjs): the runtime must prefill ~500 tokens and decode
a few dozen tokens inside a 300 ms budget on a 2-core laptop-class CPU."""

from dataclasses import dataclass, asdict, replace


@dataclass(frozen=True)
class ModelConfig:
    vocab_size: int = 8192
    width: int = 256
    layers: int = 6
    heads: int = 4
    # SwiGLU hidden size; 8/3 * width keeps the parameter count of a 4x GELU MLP.
    mlp_hidden: int = 688
    max_positions: int = 768
    rope_base: float = 10000.0
    norm_eps: float = 1e-5
    # Pointer/copy head: the output mixes the vocabulary softmax with attention over the
    # context's own tokens, so names in the window and history cost little to reproduce even
    # when the model never saw them in training (training/diagnose.py measured the lack of it).
    copy_head: bool = False

    @property
    def head_dim(self) -> int:
        return self.width // self.heads

    def validate(self) -> "ModelConfig":
        if self.width % self.heads != 0:
            raise ValueError(f"width {self.width} is not divisible by heads {self.heads}")
        if self.head_dim % 2 != 0:
            raise ValueError(f"head_dim {self.head_dim} must be even for RoPE")
        for name in ("vocab_size", "width", "layers", "heads", "mlp_hidden", "max_positions"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        return self


@dataclass(frozen=True)
class TrainConfig:
    batch_tokens: int = 16384
    learning_rate: float = 1e-3
    min_learning_rate_ratio: float = 0.1
    warmup_steps: int = 200
    weight_decay: float = 0.1
    grad_clip_norm: float = 1.0
    total_steps: int = 20000
    checkpoint_every_steps: int = 200
    validate_every_steps: int = 200
    validation_batches: int = 20
    seed: int = 1234
    # Auxiliary next-token loss on a sample of prompt positions (see dataset.prompt_labels):
    # weight relative to the target loss, and the fraction of prompt positions scored.
    prompt_loss_weight: float = 0.0
    prompt_loss_fraction: float = 0.0


MODEL_CONFIGS = {
    # For tests: trains a few steps in seconds on one CPU core; with the copy head, so the tests
    # cover the shipped path.
    "tiny": ModelConfig(width=64, layers=2, heads=2, mlp_hidden=176, max_positions=768, copy_head=True),
    # ~3.3M parameters (1.6M of them the tied embedding): the size that fits the 300 ms budget
    # on a 2-core CPU after a prefix-cache hit (training/measure_latency.mjs).
    "compact": ModelConfig(width=192, layers=4, heads=3, mlp_hidden=512),
    # compact plus the copy head (37k more parameters): the shipped CPU-trained model.
    "compact_copy": ModelConfig(width=192, layers=4, heads=3, mlp_hidden=512, copy_head=True),
    # ~7M parameters (2.1M of them the tied embedding): CPU-trainable. With the copy head, like
    # every config meant for new runs.
    "small": ModelConfig(width=256, layers=6, heads=4, mlp_hidden=688, copy_head=True),
    # ~21M parameters: GPU training; on the CPU only if measure_latency says it fits.
    "base": ModelConfig(width=384, layers=10, heads=6, mlp_hidden=1024, copy_head=True),
}

TRAIN_CONFIGS = {
    "tiny": TrainConfig(batch_tokens=2048, learning_rate=3e-3, warmup_steps=5, total_steps=50,
                        checkpoint_every_steps=20, validate_every_steps=10, validation_batches=2,
                        prompt_loss_weight=0.1, prompt_loss_fraction=0.25),
    "compact": TrainConfig(batch_tokens=8192, learning_rate=2e-3, warmup_steps=100, total_steps=6000,
                           checkpoint_every_steps=100, validate_every_steps=100, validation_batches=10,
                           prompt_loss_weight=0.3, prompt_loss_fraction=0.25),
    "compact_copy": TrainConfig(batch_tokens=8192, learning_rate=1.5e-3, warmup_steps=100, total_steps=6000,
                                checkpoint_every_steps=100, validate_every_steps=100, validation_batches=10,
                                prompt_loss_weight=0.3, prompt_loss_fraction=0.25),
    "small": TrainConfig(batch_tokens=8192, learning_rate=1.5e-3, warmup_steps=100, total_steps=6000,
                         checkpoint_every_steps=100, validate_every_steps=100, validation_batches=10,
                         prompt_loss_weight=0.3, prompt_loss_fraction=0.25),
    "base": TrainConfig(batch_tokens=65536, learning_rate=1e-3, warmup_steps=300, total_steps=20000,
                        checkpoint_every_steps=500, validate_every_steps=250, validation_batches=40,
                        prompt_loss_weight=0.3, prompt_loss_fraction=0.5),
}


def model_config(name: str, vocab_size: int | None = None) -> ModelConfig:
    if name not in MODEL_CONFIGS:
        raise ValueError(f"unknown config {name!r}; expected one of {sorted(MODEL_CONFIGS)}")
    config = MODEL_CONFIGS[name]
    if vocab_size is not None:
        config = replace(config, vocab_size=vocab_size)
    return config.validate()


def train_config(name: str) -> TrainConfig:
    if name not in TRAIN_CONFIGS:
        raise ValueError(f"unknown config {name!r}; expected one of {sorted(TRAIN_CONFIGS)}")
    return TRAIN_CONFIGS[name]


def config_dict(config) -> dict:
    return asdict(config)
