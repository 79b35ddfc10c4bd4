"""People of a school and their accounts: staff records, role grants, logins and passwords.

``rules`` says who may do what, ``services`` (staff and grants) and ``accounts`` (logins and
passwords) make every change with its audit event, ``views`` are the pages under
``/s/<school>/people/`` and the password pages under ``/account/password/``.
"""
