-- Clustering: create the cluster's version row unless it exists.
-- In: DeploymentId. Out: one boolean, true when this call created it.
WITH created AS (
    INSERT INTO orleans_membership_version (DeploymentId)
    VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 FROM created
