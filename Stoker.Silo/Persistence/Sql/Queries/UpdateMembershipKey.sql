-- Clustering: change a silo's status, suspicions and liveness time, only if
-- the table version is still the one the caller read and the row exists.
-- In: DeploymentId, Address, Port, Generation, Status, SuspectTimes,
--     IAmAliveTime, Version (the version read).
-- Out: one boolean, true when the row was changed.
WITH bumped AS (
    UPDATE orleans_membership_version
    SET Version = Version + 1,
        ChangedAt = now()
    WHERE DeploymentId = @DeploymentId
      AND Version = @Version
      AND EXISTS (SELECT 1
                  FROM orleans_membership
                  WHERE DeploymentId = @DeploymentId
                    AND Address = @Address
                    AND Port = @Port
                    AND Generation = @Generation)
    RETURNING DeploymentId
), changed AS (
    UPDATE orleans_membership m
    SET Status = @Status,
        SuspectTimes = @SuspectTimes,
        IAmAliveTime = @IAmAliveTime
    FROM bumped
    WHERE m.DeploymentId = bumped.DeploymentId
      AND m.Address = @Address
      AND m.Port = @Port
      AND m.Generation = @Generation
    RETURNING 1
)
SELECT count(*) > 0 FROM changed
