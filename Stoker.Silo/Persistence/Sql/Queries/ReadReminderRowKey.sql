-- Reminders: one reminder of one grain (no row when it does not exist).
-- In: ServiceId, GrainId, ReminderName. Out: as ReadReminderRowsKey.
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM orleans_reminders
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
  AND ReminderName = @ReminderName
