-- Reminders: create a reminder or replace its schedule. Every write gets a
-- new Version, which is the reminder's ETag.
-- In: ServiceId, GrainId, GrainHash, ReminderName, StartTime, Period
--     (milliseconds). Out: Version.
INSERT INTO orleans_reminders (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = EXCLUDED.StartTime,
    Period = EXCLUDED.Period,
    GrainHash = EXCLUDED.GrainHash,
    Version = orleans_reminders.Version + 1
RETURNING Version
