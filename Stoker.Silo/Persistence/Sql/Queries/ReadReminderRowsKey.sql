-- Reminders: every reminder of one grain.
-- In: ServiceId, GrainId. Out: GrainId, ReminderName, StartTime, Period, Version.
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM orleans_reminders
WHERE ServiceId = @ServiceId
  AND GrainId = @GrainId
