-- Reminders: the reminders in a slice of the hash ring that wraps around (or
-- is the whole ring when BeginHash = EndHash): GrainHash above BeginHash or
-- at most EndHash, in signed order.
-- In: ServiceId, BeginHash, EndHash. Out: as ReadReminderRowsKey.
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM orleans_reminders
WHERE ServiceId = @ServiceId
  AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
