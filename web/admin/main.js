// Admin page entry
