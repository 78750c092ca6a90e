"""The task register: the tasks extraction found, filtered (`filter`: lead, partner, document, due window,
status, words) and exported (`export`: CSV and XLSX). Reads clause records only."""
