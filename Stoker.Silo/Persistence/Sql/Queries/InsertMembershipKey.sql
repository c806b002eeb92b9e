-- Clustering: add a silo row, only if the table version is still the one the
-- caller read and the row does not exist yet. Bumping the version and adding
-- the row happen in one statement, so they succeed or fail together.
-- In: DeploymentId, Address, Port, Generation, SiloName, HostName, Status,
--     ProxyPort, StartTime, IAmAliveTime, Version (the version read).
-- Out: one boolean, true when the row was added.
WITH bumped AS (
    UPDATE orleans_membership_version
    SET Version = Version + 1,
        ChangedAt = now()
    WHERE DeploymentId = @DeploymentId
      AND Version = @Version
      AND NOT EXISTS (SELECT 1
                      FROM orleans_membership
                      WHERE DeploymentId = @DeploymentId
                        AND Address = @Address
                        AND Port = @Port
                        AND Generation = @Generation)
    RETURNING DeploymentId
), added AS (
    INSERT INTO orleans_membership
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 FROM added
