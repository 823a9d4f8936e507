mod send_test_span;
