-- Grain storage: read a grain's state. No row means no state was ever
-- written (or it was deleted). A row with a NULL payload means the state was
-- cleared; its Version is still the ETag for the next write.
-- In: ServiceId, GrainTypeString, GrainIdN0, GrainIdN1,
--     GrainIdExtensionString (plus hashes, not needed here).
-- Out: PayloadBinary, Version.
SELECT PayloadBinary, Version
FROM orleans_grain_state
WHERE ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND coalesce(GrainIdExtensionString, '') = coalesce(@GrainIdExtensionString, '')
