-- The list's statement binds every filter, most of them NULL: a cached generic plan cannot see which, so it plans
-- for all of them (a full scan and a sort); a custom plan folds the unset ones away and reads the sort's index.
SET LOCAL plan_cache_mode = force_custom_plan
