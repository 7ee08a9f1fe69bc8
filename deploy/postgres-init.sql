-- One database per service: each service owns its data and nothing else reads it.
CREATE DATABASE hr;
CREATE DATABASE payroll;
CREATE DATABASE helpdesk;
CREATE DATABASE docs;
CREATE DATABASE gateway;
