-- Reminders: the reminders in a slice of the hash ring that does not wrap
-- around, i.e. BeginHash < GrainHash <= EndHash in signed order (the provider
-- picks this query when BeginHash < EndHash as signed integers).
-- In: ServiceId, BeginHash, EndHash. Out: as ReadReminderRowsKey.
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM orleans_reminders
WHERE ServiceId = @ServiceId
  AND GrainHash > @BeginHash
  AND GrainHash <= @EndHash
