.include "/dev/zero"
halt
