-- Reminders: delete every reminder of a service (used by tests of the
-- provider). In: ServiceId.
DELETE FROM orleans_reminders
WHERE ServiceId = @ServiceId
