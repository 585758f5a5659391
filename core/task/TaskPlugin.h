#pragma once

// The API of a task plugin: a shared library, with a `plugin.json` beside it, that adds task
// families (task/TaskFamily.h) to the workbench at run time. Installed with the headers it
// includes, so that a plugin builds outside this source tree:
//
//   #include <task/TaskPlugin.h>
//   class MyFamily : public collab::task::TaskFamily { ... };
//   COLLAB_TASK_PLUGIN_EXPORT int collab_task_plugin_api_version() { return COLLAB_TASK_PLUGIN_API_VERSION; }
//   COLLAB_TASK_PLUGIN_EXPORT collab::task::TaskFamily* collab_task_plugin_create(
//       const char* family, const char* settingsJson, char* error, std::size_t errorSize) { ... }
//
// `plugin.json` (format "collab-task-plugin/1"):
//   { "format": "collab-task-plugin/1", "name": "my-tasks", "version": "1.0", "description": "...",
//     "library": "libmy_tasks.so", "api_version": 1,
//     "families": [ { "name": "my-family", "settings": { ... } } ] }
// Each family is created with its settings as JSON, plus "plugin_dir": the plugin's folder
// (for data files named relative to it).
//
// The plugin and the workbench must be built with the same C++ compiler and standard
// library: families cross the boundary as C++ objects. The helpers these headers declare
// out of line (taskId, TaskInstance::attribute...) live in libcollab_core; a plugin that
// calls them links that library (static, position-independent) into itself.

#include "task/TaskFamily.h"

#include <cstddef>

// Bumped whenever TaskFamily, TaskInstance or these entry points change incompatibly.
#define COLLAB_TASK_PLUGIN_API_VERSION 1

#define COLLAB_TASK_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

extern "C" {
// The COLLAB_TASK_PLUGIN_API_VERSION the plugin was built with.
using CollabTaskPluginApiVersionFn = int();
// A new family, owned by the caller (deleted through TaskFamily's virtual destructor while
// the library is loaded); or null with a message written to `error`.
using CollabTaskPluginCreateFn = collab::task::TaskFamily*(const char* family, const char* settingsJson, char* error,
                                                           std::size_t errorSize);
}

inline constexpr const char* kCollabTaskPluginApiVersionSymbol = "collab_task_plugin_api_version";
inline constexpr const char* kCollabTaskPluginCreateSymbol = "collab_task_plugin_create";
