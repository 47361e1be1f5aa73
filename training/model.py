"""Decoder-only transformer for next-edit prediction: RoPE, pre-norm RMSNorm, SwiGLU MLP,
tied embeddings. Attention takes the past K/V of all layers and returns only the K/V of the
new positions, so the runtime owns (and preallocates) the cache instead of copying it through
the graph on every step.

With config.copy_head the output is a pointer-generator mixture: a gate splits probability
between the vocabulary softmax and a copy distribution, attention from each position over the
context's tokens (keys: the last layer's cached attention keys, so the runtime caches nothing
new; it only passes the past token ids)."""

import math
from typing import Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from .configs import ModelConfig

TORCH_MAJOR = int(torch.__version__.split(".")[0])
HAS_SDPA = hasattr(F, "scaled_dot_product_attention")
COPY_FLOOR_PROBABILITY = 1e-9


class RMSNorm(nn.Module):
    def __init__(self, width: int, eps: float):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(width))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Normalise in float32 even under bf16 autocast: the mean of squares underflows in bf16.
        normed = x.float() * torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + self.eps)
        return normed.type_as(x) * self.weight


def rope_cos_sin(position_ids: torch.Tensor, head_dim: int, base: float) -> Tuple[torch.Tensor, torch.Tensor]:
    """cos/sin of shape [batch, 1, seq, head_dim], computed from absolute positions so a
    cached prefix and a fresh suffix rotate consistently."""
    inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2, dtype=torch.float32, device=position_ids.device) / head_dim))
    angles = position_ids.to(torch.float32).unsqueeze(-1) * inv_freq
    angles = torch.cat([angles, angles], dim=-1)
    return angles.cos().unsqueeze(1), angles.sin().unsqueeze(1)


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    return x * cos.to(x.dtype) + rotate_half(x) * sin.to(x.dtype)


class Attention(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.heads = config.heads
        self.head_dim = config.head_dim
        self.qkv = nn.Linear(config.width, 3 * config.width, bias=False)
        self.out = nn.Linear(config.width, config.width, bias=False)

    def forward(
        self,
        x: torch.Tensor,
        cos: torch.Tensor,
        sin: torch.Tensor,
        past_key: Optional[torch.Tensor],
        past_value: Optional[torch.Tensor],
        padding_mask: Optional[torch.Tensor] = None,
    ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        batch, new_len, width = x.shape
        qkv = self.qkv(x).view(batch, new_len, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        query, key, value = qkv[0], qkv[1], qkv[2]
        query = apply_rope(query, cos, sin)
        key = apply_rope(key, cos, sin)
        new_key, new_value = key, value
        if past_key is not None and past_value is not None:
            key = torch.cat([past_key.to(key.dtype), key], dim=2)
            value = torch.cat([past_value.to(value.dtype), value], dim=2)

        if past_key is None and padding_mask is None and HAS_SDPA:
            attended = F.scaled_dot_product_attention(query, key, value, is_causal=True)
        else:
            attended = explicit_attention(query, key, value, padding_mask, self.head_dim ** -0.5)
        attended = attended.transpose(1, 2).reshape(batch, new_len, width)
        return self.out(attended), new_key, new_value


def causal_mask(new_len: int, total_len: int, device: torch.device) -> torch.Tensor:
    """bool [new_len, total_len]: the new positions (the last new_len of total_len) see
    themselves and every earlier position. Plain ops, so it exports with a dynamic past length."""
    query_positions = torch.arange(new_len, device=device).unsqueeze(1) + (total_len - new_len)
    return torch.arange(total_len, device=device).unsqueeze(0) <= query_positions


def explicit_attention(
    query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, padding_mask: Optional[torch.Tensor], scale: float
) -> torch.Tensor:
    """Causal attention of new_len queries over past_len + new_len keys, written with plain ops
    so it exports to ONNX opset 17 with dynamic past_len (including 0)."""
    allowed = causal_mask(query.shape[2], key.shape[2], query.device)
    scores = torch.matmul(query, key.transpose(-1, -2)) * scale
    scores = scores.masked_fill(~allowed, torch.finfo(scores.dtype).min)
    if padding_mask is not None:
        scores = scores.masked_fill(~padding_mask[:, None, None, :], torch.finfo(scores.dtype).min)
    return torch.matmul(torch.softmax(scores.float(), dim=-1).to(value.dtype), value)


class SwiGLU(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.gate_up = nn.Linear(config.width, 2 * config.mlp_hidden, bias=False)
        self.down = nn.Linear(config.mlp_hidden, config.width, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate, up = self.gate_up(x).chunk(2, dim=-1)
        return self.down(F.silu(gate) * up)


class Block(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.attention_norm = RMSNorm(config.width, config.norm_eps)
        self.attention = Attention(config)
        self.mlp_norm = RMSNorm(config.width, config.norm_eps)
        self.mlp = SwiGLU(config)

    def forward(self, x, cos, sin, past_key, past_value, padding_mask=None):
        attended, new_key, new_value = self.attention(self.attention_norm(x), cos, sin, past_key, past_value, padding_mask)
        x = x + attended
        x = x + self.mlp(self.mlp_norm(x))
        return x, new_key, new_value


class NextEditTransformer(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config.validate()
        self.embedding = nn.Embedding(config.vocab_size, config.width)
        self.blocks = nn.ModuleList([Block(config) for _ in range(config.layers)])
        self.final_norm = RMSNorm(config.width, config.norm_eps)
        if config.copy_head:
            self.pointer_query = nn.Linear(config.width, config.width, bias=False)
            self.pointer_gate = nn.Linear(config.width, 1)
        self.apply(self._init_weights)
        # Scaled init of residual projections (GPT-2) keeps the residual stream's variance flat in depth.
        for name, parameter in self.named_parameters():
            if name.endswith("out.weight") or name.endswith("down.weight"):
                nn.init.normal_(parameter, mean=0.0, std=0.02 / math.sqrt(2 * config.layers))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def parameter_count(self) -> int:
        return sum(parameter.numel() for parameter in self.parameters())

    def forward(
        self,
        input_ids: torch.Tensor,
        position_ids: Optional[torch.Tensor] = None,
        past_keys: Optional[torch.Tensor] = None,
        past_values: Optional[torch.Tensor] = None,
        padding_mask: Optional[torch.Tensor] = None,
        logit_mask: Optional[torch.Tensor] = None,
        past_ids: Optional[torch.Tensor] = None,
        logit_rows: Optional[torch.Tensor] = None,
    ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """input_ids/position_ids [batch, new_len]; past_* [layers, batch, heads, past_len, head_dim];
        past_ids [batch, past_len] (the copy head points at them; needed when past_len > 0).
        Returns logits [batch, new_len, vocab] and the new positions' keys/values stacked by layer.
        With the copy head the logits are the mixture's log-probabilities (already normalised, so
        softmax and cross-entropy treat them like logits). With logit_mask (bool [batch, new_len])
        logits are [selected, vocab]: training scores only target positions, which skips most of
        the vocabulary projection. With logit_rows (int64 [1], 1..new_len) logits cover only the
        last logit_rows positions: a prefill needs one row, and the vocabulary projection of every
        prompt position would cost about as much as the rest of the model."""
        if position_ids is None:
            past_len = 0 if past_keys is None else past_keys.shape[3]
            position_ids = torch.arange(past_len, past_len + input_ids.shape[1], device=input_ids.device)
            position_ids = position_ids.unsqueeze(0).expand_as(input_ids)
        cos, sin = rope_cos_sin(position_ids, self.config.head_dim, self.config.rope_base)
        x = self.embedding(input_ids)
        new_keys, new_values = [], []
        for layer, block in enumerate(self.blocks):
            past_key = past_keys[layer] if past_keys is not None else None
            past_value = past_values[layer] if past_values is not None else None
            x, new_key, new_value = block(x, cos, sin, past_key, past_value, padding_mask)
            new_keys.append(new_key)
            new_values.append(new_value)
        hidden = self.final_norm(x)
        if logit_rows is not None:
            # index_select with a traced range keeps the row count dynamic in the ONNX graph.
            rows = torch.arange(input_ids.shape[1] - logit_rows[0], input_ids.shape[1], device=hidden.device)
            hidden = hidden.index_select(1, rows)
            cos, sin = cos.index_select(2, rows), sin.index_select(2, rows)
        selected = hidden[logit_mask] if logit_mask is not None else hidden
        logits = F.linear(selected, self.embedding.weight)
        if self.config.copy_head:
            last_keys = new_keys[-1]
            context_ids = input_ids
            if past_keys is not None:
                last_keys = torch.cat([past_keys[-1].to(last_keys.dtype), last_keys], dim=2)
                if past_ids is None:
                    raise ValueError("the copy head needs past_ids with past_keys")
                context_ids = torch.cat([past_ids.to(input_ids.dtype), input_ids], dim=1)
            logits = self.copy_mixture(logits, hidden, cos, sin, last_keys, context_ids, padding_mask, logit_mask)
        return logits, torch.stack(new_keys), torch.stack(new_values)

    def copy_mixture(self, logits, hidden, cos, sin, keys, context_ids, padding_mask, logit_mask) -> torch.Tensor:
        """log(gate * softmax(logits) + (1 - gate) * copy): copy puts each position's pointer
        attention on the token id at the attended position (causal: the query's own and earlier
        positions)."""
        batch, new_len, width = hidden.shape
        heads, head_dim = self.config.heads, self.config.head_dim
        query = self.pointer_query(hidden).view(batch, new_len, heads, head_dim).transpose(1, 2)
        query = apply_rope(query, cos, sin)
        # Summing the heads' dot products scores the whole key vector; RoPE makes it position-aware.
        scores = torch.matmul(query.float(), keys.float().transpose(-1, -2)).sum(dim=1) * width ** -0.5
        total_len = keys.shape[2]
        scores = scores.masked_fill(~causal_mask(new_len, total_len, hidden.device), torch.finfo(scores.dtype).min)
        if padding_mask is not None:
            scores = scores.masked_fill(~padding_mask[:, None, :], torch.finfo(scores.dtype).min)
        pointer = torch.softmax(scores, dim=-1)
        gate = torch.sigmoid(self.pointer_gate(hidden).float())
        targets = context_ids.unsqueeze(1).expand(batch, new_len, total_len)
        if logit_mask is not None:
            pointer, gate, targets = pointer[logit_mask], gate[logit_mask], targets[logit_mask]
        generated = torch.softmax(logits.float(), dim=-1)
        copied = torch.zeros_like(generated).scatter_add(logits.dim() - 1, targets, pointer)
        mixture = gate * generated + (1 - gate) * copied
        # The floor keeps log finite where neither part gives a token any mass.
        return torch.log(mixture.clamp_min(COPY_FLOOR_PROBABILITY))
