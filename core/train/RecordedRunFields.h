#pragma once

// What a `collab train` stage records in its project run's config (runs.config) besides
// the training config itself: read back by `collab train --resume RUN` and by the GUI,
// which must leave them out of the config they rebuild. Header only, no LibTorch: the ui
// library reads them too.
namespace collab::train {

// The stage the run trains.
inline constexpr const char* kRecordedStage = "stage";
// How many data-parallel processes trained it (1 without a process group): a resume from
// the GUI starts as many.
inline constexpr const char* kRecordedWorldSize = "world_size";

} // namespace collab::train
