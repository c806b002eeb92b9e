-- Grain storage: delete a grain's row (used when DeleteStateOnClear is on),
-- only if it still carries the caller's ETag. Returns the deleted version + 1
-- so the provider sees a version different from the ETag it sent, and no row
-- on a conflict.
-- In: ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString,
--     GrainStateVersion.
DELETE FROM orleans_grain_state
WHERE ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND coalesce(GrainIdExtensionString, '') = coalesce(@GrainIdExtensionString, '')
  AND Version = @GrainStateVersion
RETURNING Version + 1
