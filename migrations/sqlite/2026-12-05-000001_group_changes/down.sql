DROP INDEX program_groups_updated;
