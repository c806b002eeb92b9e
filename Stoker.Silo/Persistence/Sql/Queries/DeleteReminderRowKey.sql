-- Reminders: delete one reminder if its ETag (Version) still matches.
-- In: ServiceId, GrainId, ReminderName, Version. Out: one boolean, true when
-- a row was deleted.
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE ServiceId = @ServiceId
      AND GrainId = @GrainId
      AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT count(*) > 0 FROM deleted
