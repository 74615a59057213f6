DROP TABLE event_signups;
DROP TABLE events;
