#pragma once
// Stand-in for a LibTorch 2.4 version.h, read before the real one: our
// `#if TORCH_VERSION_MAJOR >= 2` branches are compiled (syntax and types only) against the
// installed 1.13 headers plus the 2.x declarations in torch2_declarations.h.
#define TORCH_VERSION_MAJOR 2
#define TORCH_VERSION_MINOR 4
#define TORCH_VERSION_PATCH 0
#define TORCH_VERSION "2.4.0"
